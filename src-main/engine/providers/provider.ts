import type { KeySection } from '../../../src-shared/domain/accounts';
import type { ProtocolId } from '../protocols/protocol';
import type { SseEvent } from '../sse/types';
import type { FailureReader } from '../upstream/failure/types';
import type { ProviderAuth } from '../accounts/provider-auth';
import type { ModelListSource } from '../models/list-source';
import type { ModelInfo } from '../models/types';
import type { QuotaSource } from '../quota/source';
import type { ProviderId } from './index';

/**
 * Every upstream kind: the keys of the registration list in `providers/index.ts` (one line per
 * provider folder). Nothing else spells the list out.
 */
export type { ProviderId } from './index';

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

/** What an upstream can do, declared by its folder (never guessed from its request shaping). */
export interface ProviderCapabilities {
  /** Has an embeddings endpoint (`operation: 'embed'`). */
  embeddings: boolean;
  /** Makes images (`/v1/images/*`). */
  images: boolean;
  /** Has a token counting endpoint (`operation: 'count-tokens'`). */
  countTokens: boolean;
  /** Only streams (Codex backend): non-stream calls are rebuilt from the stream. */
  streamOnly: boolean;
}

/** Config sections that hold API-key entries (`gemini-api-key: [...]`, …). */
export type KeyConfigSection = KeySection;

/**
 * A provider folder's one export (`providers/<id>/index.ts` → `export const provider = defineProvider({…})`):
 * descriptor, auth flow, request shaping, quota source, model list source, built-in catalog facts,
 * config section and capabilities. Every list the engine keeps (ids, OAuth providers, names,
 * sign-in facts, quota sources, model lists, catalog, key sections) is read from these.
 * Quirks live here, not in the protocols: envelopes, forced streaming, identity headers.
 */
export interface ProviderDescriptor {
  id: ProviderId;
  displayName: string;
  /** Wire format the upstream speaks. */
  protocol: ProtocolId;
  kind: 'api-key' | 'oauth';
  defaultBaseUrl: string;
  /** Upstream model ids served when the account's config lists none (the catalog's ids). */
  defaultModels: readonly string[];
  capabilities: ProviderCapabilities;
  /** Same as `capabilities.countTokens` (read by the pipeline). */
  countTokens?: boolean;
  /** Same as `capabilities.streamOnly` (read by the pipeline). */
  forceStream?: boolean;
  /** Models this provider serves before its upstream list has been read, with published limits. */
  catalog: readonly ModelInfo[];
  /** OAuth providers: sign-in, refresh and which secret each call gets. */
  auth?: ProviderAuth;
  /** Key providers: the config section their entries live in and the noun their default labels use (`Gemini key …1234`). */
  configSection?: { section: KeyConfigSection; entryNoun: string; baseUrlRequired?: boolean };
  /** Quota knowledge: poller, header parser, 429 reader, or a local request count. */
  quota?: QuotaSource;
  /** How to read an account's own model list (none: catalog + family routing only). */
  modelList?: ModelListSource;
  /** Ids the upstream may serve before any list names them (`/^grok-/`): family routing. */
  modelFamilies?: readonly RegExp[];
  /** `owned_by` of this provider's models in `/v1/models`. */
  owner?: string;
  buildRequest(call: UpstreamCall): UpstreamHttpRequest;
  /** Envelope removal (Code Assist `{response: …}`) before the protocol decoder sees events. */
  unwrapStreamEvent?(ev: SseEvent): SseEvent;
  unwrapResponse?(body: unknown): unknown;
  /** Body changes after encoding (Code Assist `{model, project, request}` wrapper). */
  wrapRequest?(body: Record<string, unknown>, call: UpstreamCall): Record<string, unknown>;
  /** This upstream's reset-hint / 429-quota format (`reset-hints.ts` in the folder); generic `retry-after` needs none. */
  readFailure?: FailureReader;
}

/** What a folder writes: capabilities it lacks may be left out; ids and the pipeline's flags are filled in. */
export type ProviderDefinition = Omit<ProviderDescriptor, 'capabilities' | 'defaultModels' | 'countTokens' | 'forceStream'> & {
  capabilities?: Partial<ProviderCapabilities>;
};

export function defineProvider(d: ProviderDefinition): ProviderDescriptor {
  const capabilities: ProviderCapabilities = { embeddings: false, images: false, countTokens: false, streamOnly: false, ...d.capabilities };
  return {
    ...d,
    capabilities,
    defaultModels: d.catalog.map((m) => m.id),
    ...(capabilities.countTokens ? { countTokens: true } : {}),
    ...(capabilities.streamOnly ? { forceStream: true } : {}),
  };
}
