import type { IrRequest } from '../ir';
import { InvalidRequestError, type Protocol, type ProtocolId, type WireError } from '../protocols/protocol';
import type { ProviderDescriptor, ProviderId } from '../providers/provider';
import type { DispatcherPool } from '../upstream/dispatchers';
import type { HostOverrides } from '../upstream/host-overrides';
import { attemptCandidate, type AttemptResult } from './attempt';
import type { PipelineLimits } from './limits';
import { RecordKeeper } from './request-record';
import type { ClientSink } from './sink';
import type { CredentialSource, PipelineObserver, Resolution, RoutingService } from './types';

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
  resolution: Resolution;
  ir?: IrRequest;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/**
 * Try candidates in the routing layer's order; fail over only before the client saw a byte;
 * wait for a cooldown when the policy allows; answer every failure in the caller's format.
 */
export async function runGenerate(
  input: Omit<GenerateJob, 'resolution'>,
  deps: PipelineDeps,
): Promise<void> {
  const keeper = new RecordKeeper({
    requestId: input.requestId,
    time: Date.now(),
    clientKeyLabel: input.clientKeyLabel,
    inboundFormat: input.inbound.id,
    operation: input.operation,
    requestedModel: input.model,
    stream: input.stream,
    status: 0,
    latencyMs: 0,
    attempts: 0,
  });
  const finish = (status: number, err?: WireError & { retryAfterSeconds?: number }) => {
    deps.observer.onRequestDone?.(keeper.close(status, err, input.sink.firstByteAt));
  };
  const reply = (err: WireError & { retryAfterSeconds?: number }) => {
    input.sink.sendError(err);
    finish(err.status, err);
  };

  const resolution = deps.routing.resolve(input.model, { headers: input.headers, body: input.body });
  if (!resolution || resolution.candidates.length === 0) {
    reply({ status: 404, kind: 'not_found', code: 'model_not_found', message: deps.routing.unservedMessage?.(input.model) ?? `The model "${input.model}" is not served by any configured account.` });
    return;
  }
  const job: GenerateJob = { ...input, resolution };
  const sleep = deps.sleep ?? defaultSleep;

  let lastError: WireError | undefined;
  for (let pass = 0; ; pass++) {
    const ordered = deps.routing.order(resolution);
    keeper.noteSkipped(deps.routing, resolution);
    const cap = deps.routing.maxCredentialsPerPass() || ordered.length;
    for (const c of ordered.slice(0, cap)) {
      keeper.trying(c);
      let result: AttemptResult;
      try {
        result = await attemptCandidate(job, c, deps);
      } catch (err) {
        if (err instanceof InvalidRequestError) {
          reply({ status: 400, kind: 'invalid_request', message: err.message, details: err.param ? { param: err.param } : undefined });
          return;
        }
        throw err;
      }
      if (result.served) {
        keeper.ok(c);
        keeper.record.usage = result.usage;
        finish(result.status, result.error ? { status: 200, message: result.error, kind: 'upstream' } : undefined);
        return;
      }
      keeper.failed(c, { status: result.upstreamStatus, reason: result.reason, upstreamMessage: result.upstreamMessage, retryAt: result.retryAt });
      if (input.sink.signal.aborted) {
        finish(499, { status: 499, message: 'client closed the request', code: 'client_closed' });
        return;
      }
      lastError = result.error;
      if (result.final) {
        reply(result.error);
        return;
      }
    }
    const delay = deps.routing.nextPassDelay(resolution, pass);
    if (delay === undefined) break;
    await sleep(delay, input.sink.signal);
    if (input.sink.signal.aborted) {
      finish(499, { status: 499, message: 'client closed the request', code: 'client_closed' });
      return;
    }
  }
  reply(finalError(deps.routing, resolution, lastError));
}

/**
 * Nothing served the request. While some account is still free the last failure speaks for
 * itself; otherwise routing says why none can serve: rate limits (429 + Retry-After) or
 * rejected credentials (401/403 naming the account, no Retry-After).
 */
export function finalError(routing: RoutingService, resolution: Resolution, lastError: WireError | undefined): WireError & { retryAfterSeconds?: number } {
  const stillFree = routing.hasFree(resolution);
  const credentialRejected = lastError?.status === 401 || lastError?.status === 403;
  if (!lastError || ((lastError.status === 429 || credentialRejected) && !stillFree)) return routing.allCooling(resolution);
  return lastError;
}
