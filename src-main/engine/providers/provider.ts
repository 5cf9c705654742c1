import type { ProtocolId } from '../protocols/protocol';
import type { SseEvent } from '../sse/types';
import type { FailureReader } from '../upstream/failure/types';

/** Every upstream kind. API-key providers come from config entries; OAuth ones from sign-ins. */
export type ProviderId =
  | 'openai-compatibility'
  | 'gemini-api'
  | 'vertex'
  | 'claude-api'
  | 'codex-api'
  | 'claude'
  | 'codex'
  | 'gemini-cli'
  | 'antigravity'
  | 'qwen'
  | 'iflow'
  | 'kimi'
  | 'xai'
  | 'copilot';

export interface ModelMapping {
  /** Upstream model id. */
  name: string;
  /** Client-visible id; defaults to `name`. */
  alias?: string;
  /** OAuth aliases: keep the original id visible too. */
  fork?: boolean;
  /** Reasoning level this alias asks for (`high`, `8192`, …), set by the mapping wizard. */
  reasoning?: string | number;
}

/**
 * One credential that can serve requests: a config key entry or a signed-in account.
 * Secrets are not here: the pipeline asks the account's credential source for them.
 */
export interface Account {
  /** Stable across restarts and reloads (key entries: provider + hash of key and base URL). */
  id: string;
  provider: ProviderId;
  kind: 'api-key' | 'oauth';
  /** E-mail where the provider gives one, else a readable name (`openrouter #1`). */
  label: string;
  /** Config order / sign-in order; `fill-first` drains lower first. */
  order: number;
  prefix?: string;
  priority: number;
  weight: number;
  disabled: boolean;
  baseUrl?: string;
  proxyUrl?: string;
  headers?: Record<string, string>;
  models?: ModelMapping[];
  excludedModels?: string[];
  /** Provider-specific non-secret facts: project id, ChatGPT account id, resource_url, plan, … */
  meta: Record<string, unknown>;
}

/** What the pipeline hands a provider to build one upstream HTTP call. */
export interface UpstreamCall {
  account: Account;
  /** API key or OAuth access token. Sent only to this provider's origins. */
  credential: string;
  upstreamModel: string;
  stream: boolean;
  operation: 'generate' | 'count-tokens' | 'embed' | 'image';
  /** Encoded request body: bytes on the passthrough path, else the protocol's JSON object. */
  body: Buffer | Record<string, unknown>;
}

export interface UpstreamHttpRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string | Buffer;
}

/**
 * A provider folder's public face (`providers/<id>/index.ts` exports one).
 * Quirks live here, not in the protocols: envelopes, forced streaming, identity headers.
 */
export interface ProviderDescriptor {
  id: ProviderId;
  displayName: string;
  /** Wire format the upstream speaks. */
  protocol: ProtocolId;
  kind: 'api-key' | 'oauth';
  defaultBaseUrl: string;
  /** Upstream model ids served when the account's config lists none. */
  defaultModels: readonly string[];
  /** The upstream has a token counting endpoint (`operation: 'count-tokens'`). */
  countTokens?: boolean;
  /** The upstream only streams (Codex backend): non-stream calls are rebuilt from the stream. */
  forceStream?: boolean;
  buildRequest(call: UpstreamCall): UpstreamHttpRequest;
  /** Envelope removal (Code Assist `{response: …}`) before the protocol decoder sees events. */
  unwrapStreamEvent?(ev: SseEvent): SseEvent;
  unwrapResponse?(body: unknown): unknown;
  /** Body changes after encoding (Code Assist `{model, project, request}` wrapper). */
  wrapRequest?(body: Record<string, unknown>, call: UpstreamCall): Record<string, unknown>;
  /** This upstream's reset-hint / 429-quota format (`reset-hints.ts` in the folder); generic `retry-after` needs none. */
  readFailure?: FailureReader;
}
