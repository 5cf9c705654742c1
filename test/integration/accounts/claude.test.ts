import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { TestBrowser } from '../../fakes/oauth/browser';
import { LineQueue, waitForLine } from '../../fakes/oauth/lines';
import path from 'node:path';
import { claudeProvider } from '../../../src-main/engine/providers/claude';
import Anthropic from '@anthropic-ai/sdk';
import { startEngine } from '../harness';
import { engineConfig, sendUpstream, tokenCacheFor, workspace, type Workspace } from './helpers';
import { startClaudeFake, type ProviderFake } from '../../fakes/oauth/providers';
import { readdir, readFile, stat } from 'node:fs/promises';
import { holdLoopbackPortsForThisFile } from '../../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();
const LOOPBACK = 'http://localhost:54545';

async function files(ws: Workspace): Promise<string[]> {
  return readdir(ws.authDir).catch(() => []);
}

describe('Claude sign-in: bad input and fallbacks', () => {
  let pf: ProviderFake;
  let ws: Workspace;
  beforeAll(async () => {
    pf = await startClaudeFake({ accountInTokenResponse: false });
  });
  afterAll(() => pf.fake.close());
  afterEach(async () => {
    pf.fake.control.deny = false;
    await ws?.cleanup();
  });

  it('rejects a redirect whose state was tampered with, and saves nothing', async () => {
    ws = await workspace();
    const browser = new TestBrowser();
    const run = signIn('claude', {
      registry: ws.registry,
      hostOverrides: pf.overrides,
      say: ws.say,
      openUrl: async (url) => {
        const redirect = new URL(await browser.until(url, LOOPBACK));
        redirect.searchParams.set('state', 'attacker-state');
        const res = await browser.go(redirect.toString());
        expect(res.status).toBe(400);
      },
    });
    await expect(run).rejects.toThrow(/state/i);
    expect(await files(ws)).toEqual([]);
  });

  it('reports denied consent with the provider error text', async () => {
    ws = await workspace();
    pf.fake.control.deny = true;
    const browser = new TestBrowser();
    const run = signIn('claude', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, openUrl: (url) => void browser.go(url) });
    await expect(run).rejects.toThrow(/access_denied: The user declined/);
    expect(await files(ws)).toEqual([]);
  });

  it('names the busy port, accepts the pasted redirect URL, and a code exchanged with the wrong PKCE verifier fails', async () => {
    ws = await workspace();
    // Flow A owns the loopback port; flow B finds it busy and falls back to pasting.
    const abortA = new AbortController();
    const linesA: string[] = [];
    const flowA = signIn('claude', { registry: ws.registry, hostOverrides: pf.overrides, say: (l) => linesA.push(l), noBrowser: true, signal: abortA.signal });
    flowA.catch(() => undefined);
    const urlA = (await waitForLine(linesA, /^Open this URL to sign in: /)).replace('Open this URL to sign in: ', '');

    const pastedB = new LineQueue();
    const flowB = signIn('claude', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, noBrowser: true, pasted: pastedB });
    flowB.catch(() => undefined);
    await waitForLine(ws.lines, /Port 54545 on 127\.0\.0\.1 is busy/);
    const urlB = new URL((await waitForLine(ws.lines, /^Open this URL to sign in: /)).replace('Open this URL to sign in: ', ''));

    // A's code (bound to A's PKCE challenge) pasted into B with B's state: B's verifier does not match.
    const redirectA = new URL(await new TestBrowser().until(urlA, LOOPBACK));
    redirectA.searchParams.set('state', urlB.searchParams.get('state')!);
    pastedB.push(redirectA.toString());
    await expect(flowB).rejects.toThrow(/invalid_grant/);
    abortA.abort();
    await expect(flowA).rejects.toThrow(/cancelled/);
    expect(await files(ws)).toEqual([]);
  });

  it('completes through the paste fallback when another app holds the port (label from the profile endpoint)', async () => {
    ws = await workspace();
    const squatter = http.createServer((_q, r) => r.end('other app'));
    await new Promise<void>((r) => squatter.listen(54545, '127.0.0.1', () => r()));
    try {
      const pasted = new LineQueue();
      const run = signIn('claude', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, noBrowser: true, pasted });
      const url = (await waitForLine(ws.lines, /^Open this URL to sign in: /)).replace('Open this URL to sign in: ', '');
      expect(ws.lines.join('\n')).toMatch(/Port 54545 .* busy/);
      pasted.push(await new TestBrowser().until(url, LOOPBACK));
      const { label } = await run;
      expect(label).toBe('alice@example.com');
      expect(await files(ws)).toEqual(['claude-alice@example.com.json']);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});

describe('Claude sign-in (auth code + PKCE, loopback 54545)', () => {
  let pf: ProviderFake;
  let ws: Workspace;
  beforeAll(async () => {
    pf = await startClaudeFake();
    ws = await workspace();
  });
  afterAll(async () => {
    await pf.fake.close();
    await ws.cleanup();
  });

  it('signs in through the browser, stores a CLIProxyAPI auth file and serves an API call', async () => {
    const browser = new TestBrowser();
    const { account, label } = await signIn('claude', {
      registry: ws.registry,
      hostOverrides: pf.overrides,
      say: ws.say,
      openUrl: async (url) => {
        await browser.go(url);
      },
    });
    expect(label).toBe('alice@example.com');
    expect(account.id).toBe('claude-alice@example.com');
    // The authorize request carried the real client id, redirect URI, PKCE and Claude's `code=true`.
    const authorize = new URL(browser.visited[0]);
    expect(authorize.searchParams.get('client_id')).toBe('9d1c250a-e61b-44d9-88ed-5944d1962f5e');
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost:54545/callback');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code')).toBe('true');
    expect(browser.visited.at(-1)).toMatch(/^http:\/\/localhost:54545\/callback\?code=/);
    // Claude's token endpoint got JSON.
    expect(pf.fake.counters.jsonTokenBodies).toBe(1);

    const file = path.join(ws.authDir, 'claude-alice@example.com.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const rec = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(rec).toMatchObject({ type: 'claude', email: 'alice@example.com', organization_name: 'Alice Org' });
    expect(typeof rec.access_token).toBe('string');
    expect(typeof rec.refresh_token).toBe('string');
    expect(Date.parse(String(rec.expired))).toBeGreaterThan(Date.now());

    const tokens = tokenCacheFor(ws, pf.overrides);
    const credential = await tokens.getCredential(account.id);
    const req = claudeProvider.buildRequest({
      account: ws.registry.account(account.id)!,
      credential,
      upstreamModel: 'claude-sonnet-4-5',
      stream: false,
      operation: 'generate',
      body: claudeProvider.wrapRequest!({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, {
        account: ws.registry.account(account.id)!,
        credential,
        upstreamModel: 'claude-sonnet-4-5',
        stream: false,
        operation: 'generate',
        body: {},
      }),
    });
    expect(new URL(req.url).origin).toBe('https://api.anthropic.com');
    const res = await sendUpstream(req, pf.overrides);
    await tokens.idle();
    expect(res.status).toBe(200);
    const sent = JSON.parse(String(pf.apiCalls.at(-1)!.body)) as { system: Array<{ text: string }> };
    expect(sent.system[0].text).toMatch(/Claude Code/);
  });

  it('serves an Anthropic SDK request from the signed-in account through the engine', async () => {
    const engine = await startEngine(engineConfig(ws.authDir, pf.overrides));
    try {
      const client = new Anthropic({ baseURL: engine.url, apiKey: 'unused', maxRetries: 0 });
      const before = pf.apiCalls.length;
      const msg = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
      expect(msg.content[0]).toMatchObject({ type: 'text', text: 'hello from claude' });
      const call = pf.apiCalls[before];
      expect(call.headers.authorization).toMatch(/^Bearer /);
      expect(call.headers.authorization).not.toMatch(/unused/);
      expect(call.headers['anthropic-beta']).toMatch(/oauth-2025-04-20/);
      expect(call.headers['x-api-key']).toBeUndefined();
    } finally {
      await engine.close();
    }
  });
});
