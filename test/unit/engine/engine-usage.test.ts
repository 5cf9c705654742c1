/**
 * The usage history opens after start-up, not before the port opens (state.db, cooldowns and
 * quota windows, opens right after the port, before the first request). Nothing is lost for it:
 * records of requests answered before it opened are in the history afterwards, a reader (the
 * Usage page, the management API, the status) opens it at once and sees them, and a close before it
 * opened still writes them.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../../src-main/engine/config/store';
import { DeferredUsage } from '../../../src-main/engine/engine-usage';
import { silentLogger } from '../../../src-main/engine/log/logger';
import { createRuntime } from '../../../src-main/engine/runtime';
import { UsageRecorder, type UsageRecord } from '../../../src-main/engine/usage';
import { startOpenAIChatUpstream } from '../../fakes/upstreams/openai-chat-upstream';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };

function rec(id: string): UsageRecord {
  return {
    id,
    time: Date.UTC(2026, 11, 5, 8, 0, 0),
    clientKeyLabel: 'laptop',
    inboundFormat: 'openai-chat',
    provider: 'openai-compat',
    accountId: 'mock:0',
    accountLabel: 'mock',
    requestedModel: 'gpt-4o-mini',
    upstreamModel: 'gpt-4o-mini',
    inputTokens: 10,
    outputTokens: 5,
    reasoningTokens: 0,
    cachedTokens: 0,
    latencyMs: 20,
    ttftMs: 10,
    status: 200,
    stream: false,
  };
}

function tempDb(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-usage-open-'));
  return path.join(dir, 'usage.db');
}

describe('DeferredUsage', () => {
  it('holds records until the history opens, then writes them in order; reading opens it', () => {
    const dbPath = tempDb();
    const history = new DeferredUsage(() => new UsageRecorder({ dbPath }));
    cleanups.push(() => history.close());
    history.record(rec('r1'));
    history.record(rec('r2'));
    expect(history.opened()).toBeUndefined();
    expect(existsSync(dbPath)).toBe(false);
    const usage = history.get()!;
    expect(usage.recent(10, {}).map((r) => r.id)).toEqual(['r2', 'r1']);
    history.record(rec('r3'));
    expect(usage.totals(ALL).requests).toBe(3);
  });

  it('a close before it opened still writes the held records', () => {
    const dbPath = tempDb();
    const history = new DeferredUsage(() => new UsageRecorder({ dbPath }));
    history.record(rec('r1'));
    history.close();
    const again = new UsageRecorder({ dbPath });
    cleanups.push(() => again.close());
    expect(again.recent(10, {}).map((r) => r.id)).toEqual(['r1']);
  });

  it('a close with nothing held opens nothing', () => {
    const dbPath = tempDb();
    const history = new DeferredUsage(() => new UsageRecorder({ dbPath }));
    history.close();
    expect(existsSync(dbPath)).toBe(false);
  });

  it('a history that cannot open takes no records, as one that was never there', () => {
    let opens = 0;
    const history = new DeferredUsage(() => void opens++);
    history.record(rec('r1'));
    expect(history.get()).toBeUndefined();
    history.record(rec('r2'));
    expect(history.get()).toBeUndefined();
    expect(opens).toBe(1);
    history.close();
  });
});

describe('the engine opens its databases after start-up', () => {
  it('opens neither usage.db nor state.db while the engine is built; the request answered before the history opened is in it, and the status says both persist', async () => {
    const upstream = await startOpenAIChatUpstream();
    cleanups.push(() => upstream.close());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-usage-engine-'));
    const yaml = `host: 127.0.0.1\nport: 0\nsecret-store: file\nusage-sqlite:\n  enable: true\nopenai-compatibility:\n  - name: mock\n    base-url: ${upstream.url}/v1\n    api-key-entries: [{ api-key: sk-mock }]\n    models: [{ name: gpt-4o-mini, alias: gpt-4o-mini }]\n`;
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, yaml);
    const runtime = createRuntime({ config: ConfigStore.fromText(yaml, file), dataDir: dir, logger: silentLogger, mode: 'headless', version: 'test', uiDir: dir });
    cleanups.push(() => runtime.close(100));
    expect(existsSync(path.join(dir, 'usage.db'))).toBe(false);
    expect(existsSync(path.join(dir, 'state.db'))).toBe(false);

    const { port } = await runtime.engine.start();
    expect(existsSync(path.join(dir, 'state.db'))).toBe(true); // cooldowns restored before serving
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();

    // Whether the history opened by itself by now or not: reading it shows the request.
    const handlers = runtime.control.handlers;
    const totals = await handlers['app:usage:totals'](ALL, { transport: 'test' });
    expect(totals.requests).toBe(1);
    expect(existsSync(path.join(dir, 'usage.db'))).toBe(true);
    const status = await handlers['app:status:get']({}, { transport: 'test' });
    expect(status.persistence).toEqual({ usage: true, cooldowns: true, quota: true });
  });
});
