import { create } from 'zustand';
import type { AliasInput, Mappings, PayloadRuleInput, RoutePreview, TestPromptResult } from '../../src-shared/domain';
import type { RequestInput } from '../../src-shared/contract';
import type { ContractClient } from '../api/client';
import { client, errorText } from './connection';

interface MappingsState {
  mappings: Mappings;
  loaded: boolean;
  error: string | null;
  preview: RoutePreview | null;
  test: TestPromptResult | null;
  testing: boolean;
  connect(c: ContractClient): () => void;
  load(): Promise<void>;
  saveAlias(input: RequestInput<'app:mappings:alias-create'>, id?: string): Promise<void>;
  deleteAlias(id: string): Promise<void>;
  addExclusion(provider: string, pattern: string, entryId?: string | null): Promise<void>;
  deleteExclusion(id: string): Promise<void>;
  saveRule(rule: RequestInput<'app:mappings:payload-rule-save'>['rule'], id?: string): Promise<void>;
  deleteRule(id: string): Promise<void>;
  runPreview(model: string): Promise<void>;
  runTest(model: string, prompt: string): Promise<void>;
  clearTry(): void;
}

export type { AliasInput, PayloadRuleInput };

export const useMappings = create<MappingsState>()((set, get) => ({
  mappings: { aliases: [], exclusions: [], payloadRules: [] },
  loaded: false,
  error: null,
  preview: null,
  test: null,
  testing: false,
  connect(c) {
    void get().load();
    // Config edits from elsewhere (file edit, another window) arrive as settings changes.
    return c.on('app:settings:changed', () => void get().load());
  },
  async load() {
    try {
      set({ mappings: await client().call('app:mappings:list'), loaded: true, error: null });
    } catch (e) {
      set({ error: errorText(e), loaded: true });
    }
  },
  async saveAlias(input, id) {
    if (id) await client().call('app:mappings:alias-update', { id, alias: input });
    else await client().call('app:mappings:alias-create', input);
    await get().load();
  },
  async deleteAlias(id) {
    await client().call('app:mappings:alias-delete', { id });
    await get().load();
  },
  async addExclusion(provider, pattern, entryId = null) {
    await client().call('app:mappings:exclusion-add', { provider, pattern, entryId });
    await get().load();
  },
  async deleteExclusion(id) {
    await client().call('app:mappings:exclusion-delete', { id });
    await get().load();
  },
  async saveRule(rule, id) {
    await client().call('app:mappings:payload-rule-save', id ? { id, rule } : { rule });
    await get().load();
  },
  async deleteRule(id) {
    await client().call('app:mappings:payload-rule-delete', { id });
    await get().load();
  },
  async runPreview(model) {
    try {
      set({ preview: await client().call('app:mappings:preview', { model }) });
    } catch (e) {
      set({ preview: { model, resolved: false, steps: [], candidates: [], error: errorText(e) } });
    }
  },
  async runTest(model, prompt) {
    set({ testing: true, test: null });
    try {
      set({ test: await client().call('app:mappings:test', { model, prompt }) });
    } catch (e) {
      set({ test: { ok: false, status: 0, text: '', latencyMs: 0, provider: null, accountLabel: null, upstreamModel: null, inputTokens: 0, outputTokens: 0, error: errorText(e) } });
    } finally {
      set({ testing: false });
    }
  },
  clearTry() {
    set({ preview: null, test: null });
  },
}));
