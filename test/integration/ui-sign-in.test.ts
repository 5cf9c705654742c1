import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestBrowser } from '../fakes/oauth/browser';
import { startCodexFake, type CodexFake } from '../fakes/oauth/providers';
import { startEngine, type RunningEngine } from './harness';
import { holdLoopbackPortsForThisFile } from '../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

/** One-click sign-in as the UI drives it: contract call → authorize URL → browser → account listed. */
let pf: CodexFake;
let sy: RunningEngine;
let authDir: string;

beforeAll(async () => {
  pf = await startCodexFake();
  authDir = await mkdtemp(path.join(os.tmpdir(), 'sy-ui-auth-'));
  const overrides = Object.entries(pf.overrides).map(([k, v]) => `  "${k}": "${v}"`);
  sy = await startEngine(['remote-management: {secret-key: m}', `auth-dir: "${authDir}"`, 'secret-store: file', 'host-overrides:', ...overrides].join('\n'));
});
afterAll(async () => {
  await sy?.close();
  await pf?.fake.close();
  await rm(authDir, { recursive: true, force: true });
});

const call = async (channel: string, payload: unknown) => {
  const res = await fetch(`${sy.url}/v0/management/ui/${channel}`, { method: 'POST', headers: { 'x-management-key': 'm', 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return (await res.json()) as { ok: boolean; data: Record<string, unknown>; error?: { message: string } };
};

describe('sign-in through the UI contract', () => {
  it('starts a flow, the browser completes it on the loopback listener, and the account appears', async () => {
    const started = await call('app:accounts:sign-in-start', { provider: 'codex' });
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    expect(started.data.kind).toBe('authorize-url');
    const url = new URL(String(started.data.authorizeUrl));
    expect(url.origin).toBe(pf.fake.url);
    await new TestBrowser().go(url.toString());
    let accounts: Array<{ provider: string; label: string; status: string }> = [];
    for (let i = 0; i < 100; i++) {
      accounts = (await call('app:accounts:list', {})).data.accounts as typeof accounts;
      if (accounts.some((a) => a.provider === 'codex')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(accounts.find((a) => a.provider === 'codex')).toMatchObject({ label: 'carol@example.com', status: 'active' });
    expect(sy.engine.accounts().some((a) => a.provider === 'codex')).toBe(true);
  });

  it('refuses a key provider with a clear error', async () => {
    const res = await call('app:accounts:sign-in-start', { provider: 'claude-api' });
    expect(res.ok).toBe(false);
    expect(res.error?.message).toMatch(/API key/);
  });
});
