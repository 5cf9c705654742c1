import { z } from 'zod';
import type { ProtocolId } from '../protocols/protocol';
import type { ProviderId } from '../providers/provider';
import { deletePath, hasPath, setPath } from './json-path';
import { matchWildcard } from './wildcard';

const modelMatch = z.looseObject({ name: z.string(), protocol: z.string().optional() });
const setRule = z.looseObject({ models: z.array(modelMatch).default([]), params: z.record(z.string(), z.unknown()).default({}) });
const filterRule = z.looseObject({ models: z.array(modelMatch).default([]), params: z.array(z.string()).default([]) });
const payloadSchema = z.looseObject({
  default: z.array(setRule).default([]),
  'default-raw': z.array(setRule).default([]),
  override: z.array(setRule).default([]),
  'override-raw': z.array(setRule).default([]),
  filter: z.array(filterRule).default([]),
});

type SetRule = z.infer<typeof setRule>;
type FilterRule = z.infer<typeof filterRule>;
type ModelMatch = z.infer<typeof modelMatch>;

export interface PayloadContext {
  /** Upstream model id. */
  model: string;
  /** The id the client asked for (alias / prefixed); rules match either. */
  clientModel?: string;
  /** Wire format of the upstream body. */
  protocol: ProtocolId;
  provider?: ProviderId;
}

/** CLIProxyAPI's protocol words → our wire formats. */
const FAMILY: Record<string, ProtocolId> = {
  openai: 'openai-chat',
  chat: 'openai-chat',
  'openai-chat': 'openai-chat',
  'openai-response': 'openai-responses',
  'openai-responses': 'openai-responses',
  responses: 'openai-responses',
  codex: 'openai-responses',
  claude: 'claude-messages',
  anthropic: 'claude-messages',
  'claude-messages': 'claude-messages',
  gemini: 'gemini',
  'gemini-cli': 'gemini',
  antigravity: 'gemini',
  vertex: 'gemini',
  aistudio: 'gemini',
};
/** Words that name one upstream, not a whole format: matched against the provider when known. */
const PROVIDER_WORDS: Record<string, ProviderId> = {
  'gemini-cli': 'gemini-cli',
  antigravity: 'antigravity',
  vertex: 'vertex',
  aistudio: 'gemini-api',
  'gemini-api': 'gemini-api',
  qwen: 'qwen',
  iflow: 'iflow',
  kimi: 'kimi',
  xai: 'xai',
  'openai-compatibility': 'openai-compatibility',
  'openai-compatible': 'openai-compatibility',
  'claude-api': 'claude-api',
  'codex-api': 'codex-api',
};

function protocolMatches(word: string | undefined, ctx: PayloadContext): boolean {
  const w = word?.trim().toLowerCase();
  if (!w) return true;
  const provider = PROVIDER_WORDS[w];
  if (provider && ctx.provider) return provider === ctx.provider;
  return FAMILY[w] === ctx.protocol;
}

function ruleMatches(models: readonly ModelMatch[], ctx: PayloadContext): boolean {
  return models.some(
    (m) => protocolMatches(m.protocol, ctx) && (matchWildcard(m.name, ctx.model) || (!!ctx.clientModel && matchWildcard(m.name, ctx.clientModel))),
  );
}

/**
 * `payload.default` (set when missing; the first matching rule wins per path), `override` (always
 * set; the last wins), their `-raw` twins (values are JSON text) and `filter` (delete), matched by
 * model wildcard and protocol, applied to the encoded upstream body (PROTOCOLS.md §7.4).
 * Compiled once per config; `apply` never mutates its input.
 */
export class PayloadRules {
  private readonly defaults: SetRule[];
  private readonly overrides: SetRule[];
  private readonly filters: FilterRule[];
  /** Config problems found while compiling (bad raw JSON), for the loader to warn about. */
  readonly warnings: string[] = [];

  constructor(payload: unknown) {
    const parsed = payloadSchema.safeParse(payload ?? {});
    if (!parsed.success) {
      this.warnings.push(`payload rules ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      this.defaults = [];
      this.overrides = [];
      this.filters = [];
      return;
    }
    const p = parsed.data;
    this.defaults = [...p.default, ...p['default-raw'].map((r) => this.raw(r, 'default-raw'))];
    this.overrides = [...p.override, ...p['override-raw'].map((r) => this.raw(r, 'override-raw'))];
    this.filters = p.filter;
  }

  private raw(rule: SetRule, section: string): SetRule {
    const params: Record<string, unknown> = {};
    for (const [path, v] of Object.entries(rule.params)) {
      if (typeof v !== 'string') {
        params[path] = v;
        continue;
      }
      try {
        params[path] = JSON.parse(v);
      } catch {
        this.warnings.push(`payload.${section}: "${path}" is not valid JSON, skipped`);
      }
    }
    return { ...rule, params };
  }

  isEmpty(): boolean {
    return !this.defaults.length && !this.overrides.length && !this.filters.length;
  }

  apply(body: Record<string, unknown>, ctx: PayloadContext): Record<string, unknown> {
    const defaults = this.defaults.filter((r) => ruleMatches(r.models, ctx));
    const overrides = this.overrides.filter((r) => ruleMatches(r.models, ctx));
    const filters = this.filters.filter((r) => ruleMatches(r.models, ctx));
    if (!defaults.length && !overrides.length && !filters.length) return body;
    const out = structuredClone(body);
    for (const r of defaults) {
      for (const [path, v] of Object.entries(r.params)) if (!hasPath(out, path)) setPath(out, path, structuredClone(v));
    }
    for (const r of overrides) for (const [path, v] of Object.entries(r.params)) setPath(out, path, structuredClone(v));
    for (const r of filters) for (const path of r.params) deletePath(out, path);
    return out;
  }
}
