import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { antigravityProvider } from '../../../src-main/engine/providers/antigravity';
import { geminiCliProvider } from '../../../src-main/engine/providers/gemini-cli';
import { GEMINI_CLI_CLIENT_SECRET } from '../../../src-main/engine/providers/gemini-cli/auth';
import { TestBrowser } from '../../fakes/oauth/browser';
import { startGoogleFake, type ProviderFake } from '../../fakes/oauth/providers';
import { authWithSecret, sendUpstream, tokenCacheFor, workspace, type Workspace } from './helpers';
import { holdLoopbackPortsForThisFile } from '../../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

describe('Google sign-ins with Code Assist project discovery', () => {
  let pf: ProviderFake & { onboardCalls: number };
  let ws: Workspace;
  beforeAll(async () => {
    pf = await startGoogleFake({ onboardPolls: 1 });
    ws = await workspace();
  });
  afterAll(async () => {
    await pf.fake.close();
    await ws.cleanup();
  });

  it('gemini-cli: prints the plan note, onboards a project, writes the gemini auth-file layout, wraps requests', async () => {
    const browser = new TestBrowser();
    const { account, label } = await signIn('gemini-cli', {
      registry: ws.registry,
      hostOverrides: pf.overrides,
      say: ws.say,
      auth: authWithSecret('gemini-cli'),
      openUrl: (u) => browser.go(u).then(() => undefined),
    });
    expect(ws.lines[0]).toMatch(/Google closed the free .* Gemini CLI/);
    expect(label).toBe('dave@example.com');
    expect(pf.onboardCalls).toBe(2); // one pending answer, then done
    expect(account.id).toBe('gemini-dave@example.com-onboarded-project-42');
    expect(new URL(browser.visited[0]).searchParams.get('access_type')).toBe('offline');
    const rec = JSON.parse(await readFile(path.join(ws.authDir, `${account.id}.json`), 'utf8')) as Record<string, unknown>;
    expect(rec).toMatchObject({ type: 'gemini', project_id: 'onboarded-project-42', email: 'dave@example.com' });
    expect(rec.token).toMatchObject({ token_uri: 'https://oauth2.googleapis.com/token', token_type: 'Bearer' });

    const acc = ws.registry.account(account.id)!;
    expect(acc.meta.projectId).toBe('onboarded-project-42');
    const tokens = tokenCacheFor(ws, pf.overrides);
    const credential = await tokens.getCredential(account.id);
    const call = { account: acc, credential, upstreamModel: 'gemini-2.5-pro', stream: true, operation: 'generate' as const, body: {} };
    call.body = geminiCliProvider.wrapRequest!({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, call);
    expect(call.body).toMatchObject({ model: 'gemini-2.5-pro', project: 'onboarded-project-42', request: { contents: [{ role: 'user' }] } });
    const req = geminiCliProvider.buildRequest(call);
    expect(req.url).toBe('https://cloudcode-pa.googleapis.com/v1internal:streamGenerateContent?alt=sse');
    expect((await sendUpstream(req, pf.overrides)).status).toBe(200);
    expect(pf.apiCalls.at(-1)!.headers['user-agent']).toMatch(/^GeminiCLI\/0\.31\.0\/gemini-2\.5-pro /);
    // Like CLIProxyAPI files, ours carry the client secret next to the token (the shipped one).
    expect((rec.token as Record<string, unknown>).client_secret).toBe(GEMINI_CLI_CLIENT_SECRET);
    const plain = tokenCacheFor(ws, pf.overrides);
    await plain.refresh(account.id);
    expect(await plain.getCredential(account.id)).not.toBe(credential);
    expect(geminiCliProvider.unwrapStreamEvent!({ data: '{"response":{"candidates":[]}}' })).toEqual({ data: '{"candidates":[]}' });
  });

  it('refuses to start a confidential-client sign-in without its client secret', async () => {
    const run = signIn('antigravity', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, auth: { ...authWithSecret('antigravity'), clientSecret: undefined } });
    await expect(run).rejects.toThrow(/SWITCHYARD_ANTIGRAVITY_CLIENT_SECRET/);
  });

  it('antigravity: signs in on 51121 and stores timestamp + expires_in', async () => {
    const browser = new TestBrowser();
    const { account } = await signIn('antigravity', {
      registry: ws.registry,
      hostOverrides: pf.overrides,
      say: ws.say,
      auth: authWithSecret('antigravity'),
      openUrl: (u) => browser.go(u).then(() => undefined),
    });
    expect(new URL(browser.visited[0]).searchParams.get('redirect_uri')).toBe('http://localhost:51121/oauth-callback');
    const rec = JSON.parse(await readFile(path.join(ws.authDir, `${account.id}.json`), 'utf8')) as Record<string, unknown>;
    expect(rec).toMatchObject({ type: 'antigravity', email: 'dave@example.com', project_id: 'onboarded-project-42' });
    expect(typeof rec.timestamp).toBe('number');
    expect(typeof rec.expires_in).toBe('number');
    const acc = ws.registry.account(account.id)!;
    const credential = await tokenCacheFor(ws, pf.overrides).getCredential(account.id);
    const call = { account: acc, credential, upstreamModel: 'gemini-3-pro-high', stream: false, operation: 'generate' as const, body: {} };
    call.body = antigravityProvider.wrapRequest!({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, call);
    const req = antigravityProvider.buildRequest(call);
    expect(req.url).toBe('https://daily-cloudcode-pa.googleapis.com/v1internal:generateContent');
    expect((await sendUpstream(req, pf.overrides)).status).toBe(200);
  });
});
