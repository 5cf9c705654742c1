import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../integration/harness';
import { parseConfig } from '../../src-main/engine/config/load';

/**
 * D9 on the account side: account edits are read-modify-writes of accounts.json (signed-in
 * accounts) or of config.yaml (key accounts). Parallel edits must all land, and a removal must
 * remove the account it names even when another removal shifted the positions first.
 */
let sy: RunningEngine;
const M = { 'x-management-key': 'm', 'content-type': 'application/json' };
const ui = (channel: string, body: unknown) => fetch(`${sy.url}/v0/management/ui/${channel}`, { method: 'POST', headers: M, body: JSON.stringify(body) });
const KEYS = Array.from({ length: 8 }, (_, i) => `sk-ant-api03-key${i}-ABCDEFGH`);

beforeAll(async () => {
  sy = await startEngine(['remote-management: {secret-key: m}', 'secret-store: file', 'claude-api-key:', ...KEYS.map((k) => `  - api-key: ${k}`), ''].join('\n'));
  const up = await fetch(`${sy.url}/v0/management/auth-files?name=codex-dana.json`, { method: 'POST', headers: { 'x-management-key': 'm' }, body: JSON.stringify({ type: 'codex', email: 'dana@example.com', access_token: 'tok-d' }) });
  expect(up.status).toBe(200);
});
afterAll(() => sy?.close());

describe('parallel account edits', () => {
  it('parallel updates of one signed-in account keep every field', async () => {
    const res = await Promise.all([
      ui('app:accounts:update', { id: 'codex-dana', priority: 7 }),
      ui('app:accounts:update', { id: 'codex-dana', prefix: 'work' }),
      ui('app:accounts:update', { id: 'codex-dana', weight: 3 }),
      ui('app:accounts:set-enabled', { id: 'codex-dana', enabled: false }),
    ]);
    expect(res.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const meta = JSON.parse(await readFile(path.join(sy.dataDir, 'accounts.json'), 'utf8')) as { accounts: Record<string, Record<string, unknown>> };
    expect(meta.accounts['codex-dana']).toMatchObject({ priority: 7, prefix: 'work', weight: 3, disabled: true });
  });

  it('parallel removals of key accounts remove exactly the named ones', async () => {
    const list = (await (await ui('app:accounts:list', {})).json()) as { data: { accounts: Array<{ id: string; maskedKey: string | null; provider: string }> } };
    const keyed = list.data.accounts.filter((a) => a.provider === 'claude-api');
    expect(keyed).toHaveLength(KEYS.length);
    // Remove the even-numbered keys, all at once.
    const victims = keyed.filter((_, i) => i % 2 === 0);
    const res = await Promise.all(victims.map((a) => ui('app:accounts:remove', { id: a.id })));
    for (const r of res) expect(((await r.json()) as { data: { removed: boolean } }).data.removed).toBe(true);
    const cfg = parseConfig(await readFile(sy.configFile, 'utf8'), sy.configFile).config;
    expect(cfg['claude-api-key'].map((e) => e['api-key'])).toEqual(KEYS.filter((_, i) => i % 2 === 1));
  });
});
