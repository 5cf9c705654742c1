import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import { reasoningLevels, type Alias, type Exclusion, type Mappings, type PayloadRule, type ReasoningLevel } from '../../../src-shared/domain';
import { listEntries, sectionProvider } from './key-entries';
import { shortHash } from './mappers';

type AliasEntry = { name: string; alias?: string; fork?: boolean; prefix?: unknown; reasoning?: unknown };

function reasoningOf(v: unknown): ReasoningLevel | null {
  return typeof v === 'string' && (reasoningLevels as readonly string[]).includes(v) ? (v as ReasoningLevel) : null;
}

/**
 * Where each mapping lives in config.yaml, so edits can find it again:
 * OAuth aliases in `oauth-model-alias.<channel>[i]`, key-entry aliases in `<section>[i].models[j]`.
 */
export interface AliasLocation {
  alias: Alias;
  path: Array<string | number>;
}

export function aliasId(scope: string, name: string, alias: string): string {
  return `${scope}:${shortHash(scope, name, alias)}`;
}

export function locateAliases(cfg: SwitchyardConfig): AliasLocation[] {
  const out: AliasLocation[] = [];
  for (const [channel, list] of Object.entries(cfg['oauth-model-alias'])) {
    (list as AliasEntry[]).forEach((m, i) => {
      if (!m.alias?.trim()) return;
      out.push({
        path: ['oauth-model-alias', channel, i],
        alias: {
          id: aliasId(`oauth:${channel}`, m.name, m.alias),
          alias: m.alias.trim(),
          provider: channel,
          upstreamModel: m.name,
          prefix: typeof m.prefix === 'string' && m.prefix ? m.prefix : null,
          reasoning: reasoningOf(m.reasoning),
          fork: !!m.fork,
          entryId: null,
        },
      });
    });
  }
  for (const l of listEntries(cfg)) {
    (l.entry.models ?? []).forEach((m: AliasEntry, j) => {
      const alias = m.alias?.trim();
      if (!alias || alias === m.name) return;
      out.push({
        path: [l.section, l.index, 'models', j],
        alias: {
          id: aliasId(l.id, m.name, alias),
          alias,
          provider: sectionProvider[l.section],
          upstreamModel: m.name,
          prefix: l.entry.prefix ?? null,
          reasoning: reasoningOf(m.reasoning),
          fork: !!m.fork,
          entryId: l.id,
        },
      });
    });
  }
  return out;
}

export interface ExclusionLocation {
  exclusion: Exclusion;
  path: Array<string | number>;
}

export function locateExclusions(cfg: SwitchyardConfig): ExclusionLocation[] {
  const out: ExclusionLocation[] = [];
  for (const [channel, list] of Object.entries(cfg['oauth-excluded-models'])) {
    list.forEach((pattern, i) =>
      out.push({
        path: ['oauth-excluded-models', channel, i],
        exclusion: { id: `oauth:${channel}:${shortHash(channel, pattern)}`, provider: channel, pattern, entryId: null },
      }),
    );
  }
  for (const l of listEntries(cfg)) {
    (l.entry['excluded-models'] ?? []).forEach((pattern, j) =>
      out.push({
        path: [l.section, l.index, 'excluded-models', j],
        exclusion: { id: `${l.id}:${shortHash(pattern)}`, provider: sectionProvider[l.section], pattern, entryId: l.id },
      }),
    );
  }
  return out;
}

export interface RuleLocation {
  rule: PayloadRule;
  path: Array<string | number>;
}

export function locatePayloadRules(cfg: SwitchyardConfig): RuleLocation[] {
  const out: RuleLocation[] = [];
  for (const mode of ['default', 'override', 'filter'] as const) {
    cfg.payload[mode].forEach((r, i) => {
      const models = r.models.map((m) => ({ name: m.name, protocol: m.protocol ?? null }));
      const params = mode === 'filter' ? {} : ((r.params as Record<string, unknown> | undefined) ?? {});
      const paths = mode === 'filter' ? ((r.params as string[] | undefined) ?? []) : [];
      out.push({
        path: ['payload', mode, i],
        rule: { id: `${mode}:${shortHash(mode, JSON.stringify(models), JSON.stringify(params), JSON.stringify(paths))}`, mode, models, params, paths },
      });
    });
  }
  return out;
}

export function readMappings(cfg: SwitchyardConfig): Mappings {
  return {
    aliases: locateAliases(cfg).map((a) => a.alias),
    exclusions: locateExclusions(cfg).map((e) => e.exclusion),
    payloadRules: locatePayloadRules(cfg).map((r) => r.rule),
  };
}
