import { ContractError, type Handlers } from '../../../src-shared/contract';
import type { ControlDeps } from './context';
import { appendIn, deleteIn } from './config-edit';
import { findEntry, listEntries } from './key-entries';
import { idAfter, planPatch, toKeyEntryDetail } from './key-edit';

type KeyHandlers = Pick<Handlers, 'app:keys:list' | 'app:keys:add' | 'app:keys:remove' | 'app:keys:update' | 'app:keys:test'>;

/** API-key provider entries live in config.yaml (CLIProxyAPI sections); edits hot-reload the engine. */
export function keyHandlers(d: ControlDeps): KeyHandlers {
  const config = d.facade.config;
  return {
    'app:keys:list': async ({ section }) => ({ entries: listEntries(config.current, section).map(toKeyEntryDetail) }),
    'app:keys:add': async (input) => {
      const compat = input.section === 'openai-compatibility';
      if (compat && (!input.baseUrl || !input.name)) {
        throw new ContractError('bad-request', 'an OpenAI-compatible provider needs a name and a base URL');
      }
      const entry: Record<string, unknown> = compat ? { name: input.name, 'base-url': input.baseUrl, 'api-key-entries': [{ 'api-key': input.apiKey }] } : { 'api-key': input.apiKey };
      if (!compat && input.baseUrl) entry['base-url'] = input.baseUrl;
      if (input.prefix) entry.prefix = input.prefix;
      if (input.label) entry.label = input.label;
      if (input.models?.length) entry.models = input.models.map((m) => (m.alias ? { name: m.name, alias: m.alias } : { name: m.name }));
      const seen: { before: Set<string>; id?: string } = { before: new Set<string>() };
      // Checked under the write lock: two parallel adds of one key make one entry.
      await config.update((doc) => {
        seen.before = new Set(listEntries(config.current, input.section).map((e) => e.id));
        const probe = listEntries({ ...config.current, [input.section]: [entry] } as typeof config.current, input.section)[0];
        if (probe && seen.before.has(probe.id)) throw new ContractError('conflict', 'this key is already configured');
        seen.id = probe?.id;
        appendIn(doc, [input.section], entry);
      });
      // By its id (not "the new one"): a parallel add may have landed right after this one.
      const added = listEntries(config.current, input.section).find((e) => (seen.id ? e.id === seen.id : !seen.before.has(e.id)));
      if (!added) throw new ContractError('internal', 'the key was written but did not load');
      return toKeyEntryDetail(added);
    },
    'app:keys:remove': async ({ id }) => {
      // Located under the write lock: a concurrent removal may have shifted the positions.
      let removed = false;
      await config.update((doc) => {
        const hit = findEntry(config.current, id);
        if (!hit) return;
        deleteIn(doc, [hit.section, hit.index]);
        removed = true;
      });
      return { removed };
    },
    'app:keys:update': async ({ id, patch }) => {
      let newId = id;
      // Located and checked under the write lock: a parallel edit may have moved or taken the key.
      await config.update((doc) => {
        const hit = findEntry(config.current, id);
        if (!hit) throw new ContractError('not-found', 'this key entry no longer exists (reload the list)');
        const plan = planPatch(hit, patch);
        newId = idAfter(hit, plan.next);
        if (newId !== id && listEntries(config.current, hit.section).some((e) => e.id === newId)) {
          throw new ContractError('conflict', 'this key is already configured');
        }
        plan.apply(doc);
      });
      const edited = findEntry(config.current, newId);
      if (!edited) throw new ContractError('internal', 'the edit was written but did not load');
      return toKeyEntryDetail(edited);
    },
    'app:keys:test': async ({ id, model }) => {
      const hit = findEntry(config.current, id);
      if (!hit) throw new ContractError('not-found', 'this key entry no longer exists (reload the list)');
      const routing = d.facade.routing;
      if (!routing.testKeyEntry) throw new ContractError('unsupported', 'this engine cannot test a single key');
      return routing.testKeyEntry({ section: hit.section, index: hit.index }, model ?? null);
    },
  };
}
