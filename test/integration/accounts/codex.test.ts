import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { codexProvider } from '../../../src-main/engine/providers/codex';
import { TestBrowser } from '../../fakes/oauth/browser';
import { startCodexFake, type CodexFake } from '../../fakes/oauth/providers';
import { waitForLine } from '../../fakes/oauth/lines';
import OpenAI from 'openai';
import { startEngine } from '../harness';
import { engineConfig, sendUpstream, tokenCacheFor, workspace, type Workspace } from './helpers';
import { holdLoopbackPortsForThisFile } from '../../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

describe('Codex sign-in (auth code + PKCE, loopback 1455)', () => {
  let pf: CodexFake;
  let ws: Workspace;
  beforeAll(async () => {
    pf = await startCodexFake();
    ws = await workspace();
  });
  afterAll(async () => {
    await pf.fake.close();
    await ws.cleanup();
  });

  it('labels the account from the id_token, keeps the ChatGPT account id, and sends it upstream', async () => {
    const browser = new TestBrowser();
    const { account, label } = await signIn('codex', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, openUrl: (u) => browser.go(u).then(() => undefined) });
    expect(label).toBe('carol@example.com');
    const authorize = new URL(browser.visited[0]);
    expect(authorize.origin).toBe(pf.fake.url);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      redirect_uri: 'http://localhost:1455/auth/callback',
      prompt: 'login',
      id_token_add_organizations: 'true',
      codex_cli_simplified_flow: 'true',
    });
    const rec = JSON.parse(await readFile(path.join(ws.authDir, `${account.id}.json`), 'utf8')) as Record<string, unknown>;
    expect(rec).toMatchObject({ type: 'codex', email: 'carol@example.com', account_id: 'acct-carol' });
    expect(String(rec.id_token).split('.')).toHaveLength(3);

    const acc = ws.registry.account(account.id)!;
    expect(acc.meta).toMatchObject({ account_id: 'acct-carol', plan_type: 'plus' });
    const tokens = tokenCacheFor(ws, pf.overrides);
    const credential = await tokens.getCredential(account.id);
    const call = { account: acc, credential, upstreamModel: 'gpt-5', stream: false, operation: 'generate' as const, body: {} };
    call.body = codexProvider.wrapRequest!({ model: 'gpt-5', input: 'hi', max_output_tokens: 5 }, call);
    expect(call.body).toMatchObject({ stream: true, store: false, instructions: '' });
    expect(call.body).not.toHaveProperty('max_output_tokens');
    const res = await sendUpstream(codexProvider.buildRequest(call), pf.overrides);
    expect(res.status).toBe(200);
    expect(pf.apiCalls.at(-1)!.headers['chatgpt-account-id']).toBe('acct-carol');
  });

  it('serves an OpenAI SDK chat request from the signed-in Codex account through the engine', async () => {
    const engine = await startEngine(engineConfig(ws.authDir, pf.overrides));
    try {
      const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'unused', maxRetries: 0 });
      const before = pf.apiCalls.length;
      const res = await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] });
      expect(res.choices[0].message.content).toBe('hello from codex');
      const call = pf.apiCalls[before];
      expect(call.path).toBe('/backend-api/codex/responses');
      expect(call.headers['chatgpt-account-id']).toBe('acct-carol');
      expect(JSON.parse(call.body)).toMatchObject({ stream: true, store: false, model: 'gpt-5' });
    } finally {
      await engine.close();
    }
  });

  it('signs in with the Codex device code (login codex --device) and denies cleanly', async () => {
    const dws = await workspace();
    try {
      const run = signIn('codex', { registry: dws.registry, hostOverrides: pf.overrides, say: dws.say, device: true, noBrowser: true, pollIntervalMs: 30 });
      const line = await waitForLine(dws.lines, /^Open https:\/\/auth\.openai\.com\/codex\/device and enter code (\S+)$/);
      await pf.approveDevice(line.split(' ').at(-1)!);
      const { label, account } = await run;
      expect(label).toBe('carol@example.com');
      expect(dws.registry.account(account.id)!.meta.account_id).toBe('acct-carol');

      const denied = signIn('codex', { registry: dws.registry, hostOverrides: pf.overrides, say: dws.say, device: true, noBrowser: true, pollIntervalMs: 30 });
      const line2 = await waitForLine(dws.lines, /enter code CODE-1001$/);
      await pf.approveDevice(line2.split(' ').at(-1)!, { deny: true });
      await expect(denied).rejects.toThrow(/Codex device sign-in failed \(HTTP 400\): .*denied/);
    } finally {
      await dws.cleanup();
    }
  });
});
