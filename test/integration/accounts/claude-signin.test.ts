import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { claudeProvider } from '../../../src-main/engine/providers/claude';
import { TestBrowser } from '../../fakes/oauth/browser';
import { startClaudeFake, type ProviderFake } from '../../fakes/oauth/providers';
import { sendUpstream, tokenCacheFor, workspace, type Workspace } from './helpers';

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
});
