import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../integration/harness';
import { faultConfig } from './faults-helpers';
import { startFaultUpstream, type FaultUpstream } from './faults-upstream';

/**
 * Issue 14 point 4: a key the upstream rejects is an invalid key, not a rate limit. The client
 * hears 401 (403 when the upstream said forbidden) in its own format, naming the entry and what
 * to do, never a synthetic 429 or a Retry-After; a corrected key in config.yaml serves at once.
 */
describe('honest auth errors', () => {
  let up: FaultUpstream | undefined;
  let engine: RunningEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    await up?.close();
    engine = undefined;
    up = undefined;
  });

  const chat = (url: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('after an upstream 401 on the only key: three more 401s with the explanation, no Retry-After; a corrected key serves the next request', async () => {
    up = await startFaultUpstream();
    up.faults.set('sk-wrong', '401');
    engine = await startEngine(faultConfig(up.url, ['sk-wrong']), { watch: true });

    const first = await chat(engine.url);
    expect(first.status).toBe(401);
    expect(first.headers.get('retry-after')).toBeNull();
    const firstBody = (await first.json()) as { error: { message: string; code?: string } };
    expect(firstBody.error.message).toContain('The key for fake was rejected');
    expect(firstBody.error.message).toContain('Incorrect API key provided');
    expect(up.calls.get('sk-wrong')).toBe(1);

    for (let i = 0; i < 3; i++) {
      const r = await chat(engine.url);
      expect(r.status).toBe(401);
      expect(r.headers.get('retry-after')).toBeNull();
      const body = (await r.json()) as { error: { message: string; code?: string; type?: string } };
      expect(body.error.message).toContain('The key for fake was rejected');
      expect(body.error.message).toContain('config.yaml');
      expect(body.error.message).not.toMatch(/cooling|rate limit/i);
      expect(body.error.code).toBe('invalid_api_key');
    }
    // Blocked, not retried: the upstream saw the bad key once.
    expect(up.calls.get('sk-wrong')).toBe(1);
    const account = engine.engine.accounts().find((a) => a.provider === 'openai-compatibility')!;
    expect(engine.engine.accountStatus(account)).toBe('needs-sign-in');

    const reloaded = once(engine.engine.config, 'change');
    await engine.writeConfig(faultConfig(up.url, ['sk-right']));
    await reloaded;
    const fixed = await chat(engine.url);
    expect(fixed.status).toBe(200);
    expect(await fixed.text()).toContain('hi from sk');
  }, 30_000);

  it('a 403 stays a 403, in the Claude format for a Claude client', async () => {
    up = await startFaultUpstream();
    up.faults.set('sk-limited', '403');
    engine = await startEngine(faultConfig(up.url, ['sk-limited']));
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${engine.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(r.status).toBe(403);
      expect(r.headers.get('retry-after')).toBeNull();
      const body = (await r.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe('error');
      expect(body.error.type).toBe('permission_error');
      expect(body.error.message).toMatch(/The key for Claude key .* was rejected/);
    }
  }, 30_000);

  it('a rejected key with another key free: the request is served, and the log says why the first was passed over', async () => {
    up = await startFaultUpstream();
    up.faults.set('bad', '401');
    engine = await startEngine(faultConfig(up.url, ['bad', 'good']));
    const records: Array<import('../../src-main/engine/pipeline/types').RequestRecord> = [];
    engine.engine.events.on('request', (r) => records.push(r));
    expect((await chat(engine.url)).status).toBe(200);
    expect(records[0].tried).toMatchObject([
      { outcome: 'failed', status: 401, reason: expect.stringMatching(/^invalid key/) },
      { outcome: 'ok' },
    ]);
    expect((await chat(engine.url)).status).toBe(200);
    expect(records[1].tried?.[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^invalid key \(upstream 401: Incorrect API key/) });
  }, 30_000);

  it('a real rate limit keeps its Retry-After, capped to what the upstream said', async () => {
    up = await startFaultUpstream();
    up.faults.set('busy', '429');
    engine = await startEngine(faultConfig(up.url, ['busy']));
    const r = await chat(engine.url);
    expect(r.status).toBe(429);
    const ra = Number(r.headers.get('retry-after'));
    expect(ra).toBeGreaterThan(0);
    expect(ra).toBeLessThanOrEqual(7);
  }, 30_000);
});
