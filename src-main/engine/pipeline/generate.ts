import type { IrRequest } from '../ir';
import type { Protocol, ProtocolId } from '../protocols/protocol';
import type { ProviderDescriptor, ProviderId } from '../providers/provider';
import type { DispatcherPool } from '../upstream/dispatchers';
import type { HostOverrides } from '../upstream/host-overrides';
import { attemptCandidate } from './attempt';
import { runWithFailover } from './failover';
import { DEFAULT_LIMITS, type PipelineLimits } from './limits';
import type { ClientSink } from './sink';
import type { CredentialSource, PipelineObserver, RoutingService } from './types';

export interface PipelineDeps {
  routing: RoutingService;
  credentials: CredentialSource;
  dispatchers: DispatcherPool;
  hostOverrides: () => HostOverrides;
  protocols: Record<ProtocolId, Protocol>;
  providers: (id: ProviderId) => ProviderDescriptor;
  observer: PipelineObserver;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Body, line and time bounds for upstream answers (DEFAULT_LIMITS when absent). */
  limits?: () => PipelineLimits;
}

/** One client request on its way through the pipeline. */
export interface GenerateJob {
  requestId: string;
  inbound: Protocol;
  sink: ClientSink;
  rawBody: Buffer;
  body: Record<string, unknown>;
  /** Model as requested (path or body). */
  model: string;
  /** The `model` value inside the body, when there is one (passthrough rewrites only if it differs). */
  bodyModel?: string;
  stream: boolean;
  operation: 'generate' | 'count-tokens';
  clientKeyLabel?: string;
  /** Client request headers (session affinity reads its session ids there). */
  headers?: Record<string, string | string[] | undefined>;
  /** false for adapted endpoints (legacy completions) whose bytes must be re-shaped. */
  allowPassthrough: boolean;
  ir?: IrRequest;
}

/**
 * Chat, responses, messages and Gemini generate: the failover runner with the generate attempt.
 * Failover happens only before the client saw a byte (the attempt serves or says why not).
 */
export async function runGenerate(job: GenerateJob, deps: PipelineDeps): Promise<void> {
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  await runWithFailover(
    {
      record: {
        requestId: job.requestId,
        clientKeyLabel: job.clientKeyLabel,
        inboundFormat: job.inbound.id,
        operation: job.operation,
        requestedModel: job.model,
        stream: job.stream,
      },
      client: job.sink,
      route: { headers: job.headers, body: job.body },
      bootstrapRetries: job.stream ? (limits.bootstrapRetries ?? 0) : 0,
    },
    (c, credential, route) => attemptCandidate(job, route, c, credential, deps),
    deps,
  );
}
