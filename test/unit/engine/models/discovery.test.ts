import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelDiscovery } from '../../../../src-main/engine/models/discovery';
import { createModelListFetch } from '../../../../src-main/engine/models/http';
import type { Account } from '../../../../src-main/engine/providers/provider';
import type { Timers } from '../../../../src-main/engine/quota/timers';
import type { IncomingHttpHeaders } from 'node:http';
import { startClaudeUpstream } from '../../../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../../../fakes/upstreams/gemini-upstream';
import { startOpenAIResponsesUpstream } from '../../../fakes/upstreams/openai-responses-upstream';

/** Timers a test fires by hand (no sleeping). */
class ManualTimers implements Timers {
  pending: Array<{ fn: () => void; ms: number }> = [];
  setTimeout(fn: () => void, ms: number): unknown {
    const t = { fn, ms };
    this.pending.push(t);
    return t;
  }
  clearTimeout(h: unknown): void {
    this.pending = this.pending.filter((t) => t !== h);
  }
  fire(): void {
    const due = this.pending.splice(0);
    for (const t of due) t.fn();
  }
}

/** What these tests read from any of the fakes. */
interface Fake {
  url: string;
  listRequests: Array<{ path: string; query: URLSearchParams; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

function keyAccount(id: string, provider: Account['provider'], baseUrl: string): Account {
  return { id, provider, kind: 'api-key', label: id, order: 0, priority: 0, weight: 1, disabled: false, baseUrl, meta: {} };
}

describe('model discovery', () => {
  let dataDir: string;
  let up: Fake | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-models-'));
  });
  afterEach(async () => {
    await up?.close();
    up = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  function discovery(accounts: Account[], timers = new ManualTimers(), key = 'sk-test') {
    return new ModelDiscovery({
      dataDir,
      accounts: () => accounts,
      credential: async () => key,
      fetch: createModelListFetch({ hostOverrides: () => ({}) }),
      timers,
      intervalMs: 60_000,
    });
  }

  it('reads an Anthropic key entry’s GET /v1/models with the key, the version header and the limits', async () => {
    up = await startClaudeUpstream({ models: ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5', 'claude-nova-5'] });
    const d = discovery([keyAccount('k', 'claude-api', up.url)]);
    await d.start();
    await d.idle();
    expect(d.listFor('k')?.models.map((m) => m.id)).toEqual(['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5', 'claude-nova-5']);
    expect(d.infoFor('k', 'claude-nova-5')).toEqual({ id: 'claude-nova-5', displayName: 'claude-nova-5', contextWindow: 200_000, maxOutputTokens: 64_000, capabilities: { vision: true, reasoning: true } });
    const req = up.listRequests[0];
    expect(req.path).toBe('/v1/models');
    expect(req.query.get('limit')).toBe('1000');
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    // A base URL other than api.anthropic.com is a gateway: bearer auth, as for messages.
    expect(req.headers.authorization).toBe('Bearer sk-test');
    await d.close();
  });

  it('follows Gemini pages (nextPageToken) and strips the models/ prefix', async () => {
    const ids = Array.from({ length: 1203 }, (_, i) => `gemini-x-${i}`);
    up = await startGeminiUpstream({ models: ids });
    const d = discovery([keyAccount('g', 'gemini-api', up.url)]);
    await d.start();
    await d.idle();
    expect(d.listFor('g')?.models).toHaveLength(1203);
    expect(up.listRequests.map((r) => r.query.get('pageToken'))).toEqual([null, '1000']);
    expect(up.listRequests[0].headers['x-goog-api-key']).toBe('sk-test');
    await d.close();
  });

  it('keeps the last good list when a read fails, and serves it from disk after a restart', async () => {
    const fake = await startOpenAIResponsesUpstream({ models: ['gpt-5.5', 'gpt-5.5-codex', 'gpt-6-preview'] });
    up = fake;
    const account = keyAccount('o', 'codex-api', `${fake.url}/v1`);
    const timers = new ManualTimers();
    const first = discovery([account], timers);
    await first.start();
    await first.idle();
    const gen = first.generation();
    expect(first.listFor('o')?.models.map((m) => m.id)).toEqual(['gpt-5.5', 'gpt-5.5-codex', 'gpt-6-preview']);
    const cached = JSON.parse(await readFile(path.join(dataDir, 'model-lists.json'), 'utf8')) as { accounts: Record<string, { models: unknown[] }> };
    expect(cached.accounts.o.models).toHaveLength(3);

    // The upstream goes away: the periodic re-read fails and the list stays.
    await fake.close();
    up = undefined;
    timers.fire();
    await first.idle();
    expect(first.listFor('o')?.models).toHaveLength(3);
    expect(first.generation()).toBe(gen);
    await first.close();

    // A restart with the upstream still down serves the cached list at once.
    const second = discovery([account]);
    await second.load();
    expect(second.listFor('o')?.models.map((m) => m.id)).toEqual(['gpt-5.5', 'gpt-5.5-codex', 'gpt-6-preview']);
    await second.close();
  });

  it('reads the ChatGPT Codex backend list (slugs) for signed-in Codex accounts', async () => {
    const fake = await startOpenAIResponsesUpstream({ models: ['gpt-5.5', 'gpt-5.5-codex'] });
    up = fake;
    const account: Account = { ...keyAccount('c', 'codex', ''), kind: 'oauth', baseUrl: undefined, meta: { account_id: 'acct-1' } };
    const d = new ModelDiscovery({
      dataDir,
      accounts: () => [account],
      credential: async () => 'chatgpt-token',
      fetch: createModelListFetch({ hostOverrides: () => ({ 'https://chatgpt.com': fake.url }) }),
      timers: new ManualTimers(),
    });
    await d.start();
    await d.idle();
    expect(d.listFor('c')?.models).toEqual([
      { id: 'gpt-5.5', displayName: 'gpt-5.5', contextWindow: 272_000 },
      { id: 'gpt-5.5-codex', displayName: 'gpt-5.5-codex', contextWindow: 272_000 },
    ]);
    const req = fake.listRequests[0];
    expect(req.path).toBe('/backend-api/codex/models');
    expect(req.query.get('client_version')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(req.headers['chatgpt-account-id']).toBe('acct-1');
    await d.close();
  });

  it('a round of many accounts writes the cache once, not once per account (start and periodic refresh)', async () => {
    up = await startClaudeUpstream({ models: ['claude-sonnet-4-6'] });
    const accounts = Array.from({ length: 20 }, (_, i) => keyAccount(`k${i}`, 'claude-api', up!.url));
    const timers = new ManualTimers();
    let writes = 0;
    const d = new ModelDiscovery({
      dataDir,
      accounts: () => accounts,
      credential: async () => 'sk-test',
      fetch: createModelListFetch({ hostOverrides: () => ({}) }),
      timers,
      onCacheWritten: () => writes++,
    });
    await d.start();
    await d.idle();
    expect(writes).toBe(1);
    const cached = JSON.parse(await readFile(path.join(dataDir, 'model-lists.json'), 'utf8')) as { accounts: Record<string, unknown> };
    expect(Object.keys(cached.accounts)).toHaveLength(20);

    timers.fire();
    await d.idle();
    expect(up.listRequests).toHaveLength(40);
    expect(writes).toBe(2);
    await d.close();
  });

  it('a new account is read when it appears (sync), each only once per process', async () => {
    up = await startClaudeUpstream({ models: ['claude-sonnet-4-6'] });
    const accounts: Account[] = [];
    const d = discovery(accounts);
    await d.start();
    accounts.push(keyAccount('late', 'claude-api', up.url));
    d.sync();
    d.sync();
    await d.idle();
    expect(d.listFor('late')?.models.map((m) => m.id)).toEqual(['claude-sonnet-4-6']);
    expect(up.listRequests).toHaveLength(1);

    // An account that goes away leaves the cache with the next successful read.
    accounts.splice(0, 1, keyAccount('next', 'claude-api', up.url));
    d.sync();
    await d.idle();
    expect(d.listFor('late')).toBeUndefined();
    const cached = JSON.parse(await readFile(path.join(dataDir, 'model-lists.json'), 'utf8')) as { accounts: Record<string, unknown> };
    expect(Object.keys(cached.accounts)).toEqual(['next']);
    await d.close();
  });

  it('a pool of 1,000 keys is read 4 at a time, and keys that see the same models share one list', async () => {
    up = await startClaudeUpstream({ models: ['claude-sonnet-4-6', 'claude-opus-4-5'] });
    const other = await startClaudeUpstream({ models: ['claude-haiku-4-5'] });
    try {
      const accounts = Array.from({ length: 1000 }, (_, i) => keyAccount(`k${i}`, 'claude-api', i === 999 ? other.url : up!.url));
      const real = createModelListFetch({ hostOverrides: () => ({}) });
      let atOnce = 0;
      let most = 0;
      const options = {
        accounts: () => accounts,
        credential: async () => 'sk-test',
        // The real transport, watched: how many list reads are open at the same moment.
        fetch: async (...args: Parameters<typeof real>) => {
          most = Math.max(most, ++atOnce);
          try {
            return await real(...args);
          } finally {
            atOnce--;
          }
        },
        timers: new ManualTimers(),
      };
      const d = new ModelDiscovery({ dataDir, ...options });
      await d.start();
      await d.idle();
      expect(up.listRequests).toHaveLength(999);
      expect(other.listRequests).toHaveLength(1);
      expect(most).toBe(4);
      expect(d.listFor('k0')!.models.map((m) => m.id)).toEqual(['claude-sonnet-4-6', 'claude-opus-4-5']);
      expect(d.listFor('k998')!.models).toBe(d.listFor('k0')!.models);
      expect(d.listFor('k999')!.models.map((m) => m.id)).toEqual(['claude-haiku-4-5']);
      await d.close();

      // Read back from the cache file after a restart: shared again.
      const restarted = new ModelDiscovery({ dataDir, ...options });
      await restarted.load();
      expect(restarted.listFor('k500')!.models).toBe(restarted.listFor('k1')!.models);
      expect(restarted.listFor('k999')!.models).not.toBe(restarted.listFor('k1')!.models);
      await restarted.close();
    } finally {
      await other.close();
    }
  });

  it('a read still waiting for its turn when discovery closes is never sent', async () => {
    up = await startClaudeUpstream({ models: ['claude-sonnet-4-6'] });
    const accounts = Array.from({ length: 10 }, (_, i) => keyAccount(`k${i}`, 'claude-api', up!.url));
    const d = new ModelDiscovery({ dataDir, accounts: () => accounts, credential: async () => 'sk-test', fetch: createModelListFetch({ hostOverrides: () => ({}) }), timers: new ManualTimers(), concurrency: 2 });
    d.sync();
    await d.close();
    expect(up.listRequests).toHaveLength(2);
  });
});
