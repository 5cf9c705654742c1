import { ContractError, type Handlers } from '../../../src-shared/contract';
import type { AliasInput, PayloadRuleInput } from '../../../src-shared/domain';
import type { ControlDeps } from './context';
import { appendIn, deleteAndPrune, setIn } from './config-edit';
import { findEntry, listEntries, sectionOf } from './key-entries';
import { locateAliases, locateExclusions, locatePayloadRules, readMappings } from './mappings-read';

type MappingHandlers = Pick<
  Handlers,
  | 'app:mappings:list'
  | 'app:mappings:alias-create'
  | 'app:mappings:alias-update'
  | 'app:mappings:alias-delete'
  | 'app:mappings:exclusion-add'
  | 'app:mappings:exclusion-delete'
  | 'app:mappings:payload-rule-save'
  | 'app:mappings:payload-rule-delete'
  | 'app:mappings:preview'
  | 'app:mappings:test'
>;

/**
 * Where a new alias goes: a key entry's `models` list (key providers) or
 * `oauth-model-alias.<provider>` (signed-in providers). `prefix` and `reasoning` are Switchyard
 * additions on the alias entry; the loose config schema keeps them.
 */
function aliasTarget(d: ControlDeps, a: AliasInput): { path: Array<string | number>; entryId: string | null } {
  const cfg = d.facade.config.current;
  const section = sectionOf(a.provider);
  if (a.entryId || section) {
    const hit = a.entryId ? findEntry(cfg, a.entryId) : listEntries(cfg, section ?? undefined)[0];
    if (!hit) throw new ContractError('bad-request', a.entryId ? `no key entry ${a.entryId}` : `add a ${a.provider} key first`);
    return { path: [hit.section, hit.index, 'models'], entryId: hit.id };
  }
  // An alias nobody can serve would only turn into "model not found" later: refuse it now.
  const served = d.facade.accounts.list().some((v) => v.account.provider === a.provider && !v.account.disabled && v.status !== 'disabled');
  if (!served) throw new ContractError('bad-request', `no ${a.provider} account can serve "${a.alias}": sign in to ${a.provider} first`);
  return { path: ['oauth-model-alias', a.provider], entryId: null };
}

function aliasEntry(a: AliasInput, oauth: boolean): Record<string, unknown> {
  const e: Record<string, unknown> = { name: a.upstreamModel, alias: a.alias };
  if (a.fork) e.fork = true;
  if (a.reasoning) e.reasoning = a.reasoning;
  if (oauth && a.prefix) e.prefix = a.prefix;
  return e;
}

function ruleEntry(r: PayloadRuleInput): Record<string, unknown> {
  const models = r.models.map((m) => (m.protocol ? { name: m.name, protocol: m.protocol } : { name: m.name }));
  return { models, params: r.mode === 'filter' ? r.paths : r.params };
}

export function mappingHandlers(d: ControlDeps): MappingHandlers {
  const config = d.facade.config;
  const cfg = () => config.current;

  const createdAlias = (provider: string, alias: string, entryId: string | null) => {
    const hit = locateAliases(cfg()).find((l) => l.alias.provider === provider && l.alias.alias === alias && l.alias.entryId === entryId);
    if (!hit) throw new ContractError('internal', 'the alias was written but did not load');
    return hit.alias;
  };
  const assertFreeAlias = (a: AliasInput, exceptId?: string) => {
    const clash = locateAliases(cfg()).find((l) => l.alias.alias === a.alias && l.alias.provider === a.provider && l.alias.id !== exceptId);
    if (clash) throw new ContractError('conflict', `${a.provider} already has an alias ${a.alias}`);
  };

  return {
    'app:mappings:list': async () => readMappings(cfg()),
    // Checks and positions are taken under the config write lock, against the config as it is
    // when the edit's turn comes: concurrent edits can neither duplicate nor misplace an alias.
    'app:mappings:alias-create': async (a) => {
      const at: { entryId: string | null } = { entryId: null };
      await config.update((doc) => {
        assertFreeAlias(a);
        const target = aliasTarget(d, a);
        at.entryId = target.entryId;
        appendIn(doc, target.path, aliasEntry(a, !target.entryId));
      });
      return createdAlias(a.provider, a.alias, at.entryId);
    },
    'app:mappings:alias-update': async ({ id, alias: a }) => {
      const at: { entryId: string | null } = { entryId: null };
      await config.update((doc) => {
        const old = locateAliases(cfg()).find((l) => l.alias.id === id);
        if (!old) throw new ContractError('not-found', `no alias ${id}`);
        assertFreeAlias(a, id);
        const target = aliasTarget(d, a);
        at.entryId = target.entryId;
        const sameList = JSON.stringify(old.path.slice(0, -1)) === JSON.stringify(target.path);
        if (sameList) setIn(doc, old.path, aliasEntry(a, !target.entryId));
        else {
          appendIn(doc, target.path, aliasEntry(a, !target.entryId));
          deleteAndPrune(doc, old.path);
        }
      });
      return createdAlias(a.provider, a.alias, at.entryId);
    },
    'app:mappings:alias-delete': async ({ id }) => {
      // Located under the write lock: a concurrent edit may have moved it.
      let removed = false;
      await config.update((doc) => {
        const old = locateAliases(cfg()).find((l) => l.alias.id === id);
        if (!old) return;
        deleteAndPrune(doc, old.path);
        removed = true;
      });
      return { removed };
    },
    'app:mappings:exclusion-add': async ({ provider, pattern, entryId }) => {
      const section = sectionOf(provider);
      const at: { entry: string | null } = { entry: null };
      const same = (l: ReturnType<typeof locateExclusions>[number]) =>
        l.exclusion.provider === provider && l.exclusion.pattern === pattern && l.exclusion.entryId === at.entry;
      // Resolved and checked under the write lock (parallel adds neither duplicate nor misplace).
      await config.update((doc) => {
        let path: Array<string | number>;
        if (entryId || section) {
          const hit = entryId ? findEntry(cfg(), entryId) : undefined;
          if (!hit) throw new ContractError('bad-request', 'choose which key entry the exclusion belongs to');
          path = [hit.section, hit.index, 'excluded-models'];
          at.entry = hit.id;
        } else path = ['oauth-excluded-models', provider];
        if (locateExclusions(cfg()).some(same)) throw new ContractError('conflict', `${pattern} is already excluded`);
        appendIn(doc, path, pattern);
      });
      const hit = locateExclusions(cfg()).find(same);
      if (!hit) throw new ContractError('internal', 'the exclusion was written but did not load');
      return hit.exclusion;
    },
    'app:mappings:exclusion-delete': async ({ id }) => {
      // Located under the write lock: a concurrent edit may have moved it.
      let removed = false;
      await config.update((doc) => {
        const old = locateExclusions(cfg()).find((l) => l.exclusion.id === id);
        if (!old) return;
        deleteAndPrune(doc, old.path);
        removed = true;
      });
      return { removed };
    },
    'app:mappings:payload-rule-save': async ({ id, rule }) => {
      const seen: { old?: ReturnType<typeof locatePayloadRules>[number]; before: Set<string> } = { before: new Set() };
      await config.update((doc) => {
        const old = id ? locatePayloadRules(cfg()).find((l) => l.rule.id === id) : undefined;
        if (id && !old) throw new ContractError('not-found', `no payload rule ${id}`);
        seen.old = old;
        seen.before = new Set(locatePayloadRules(cfg()).map((l) => l.rule.id));
        if (old && old.rule.mode === rule.mode) setIn(doc, old.path, ruleEntry(rule));
        else {
          appendIn(doc, ['payload', rule.mode], ruleEntry(rule));
          if (old) deleteIn2(doc, old.path);
        }
      });
      const { old, before } = seen;
      const rules = locatePayloadRules(cfg());
      const hit = old && old.rule.mode === rule.mode ? rules.find((l) => l.path.join('/') === old.path.join('/')) : rules.find((l) => !before.has(l.rule.id));
      if (!hit) throw new ContractError('internal', 'the rule was written but did not load');
      return hit.rule;
    },
    'app:mappings:payload-rule-delete': async ({ id }) => {
      // Located under the write lock: a concurrent edit may have moved it.
      let removed = false;
      await config.update((doc) => {
        const old = locatePayloadRules(cfg()).find((l) => l.rule.id === id);
        if (!old) return;
        deleteIn2(doc, old.path);
        removed = true;
      });
      return { removed };
    },
    'app:mappings:preview': async ({ model }) => d.facade.routing.preview(model),
    'app:mappings:test': async ({ model, prompt, maxTokens }) => d.facade.routing.testPrompt(model, prompt, maxTokens),
  };
}

/** Payload lists stay (empty lists are harmless and keep the section's place in the file). */
function deleteIn2(doc: Parameters<typeof setIn>[0], path: Array<string | number>): void {
  doc.deleteIn(path);
}
