import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { iflowProvider } from '../../../src-main/engine/providers/iflow';
import { TestBrowser } from '../../fakes/oauth/browser';
import { startIflowFake, type ProviderFake } from '../../fakes/oauth/providers';
import { authWithSecret, sendUpstream, tokenCacheFor, workspace, type Workspace } from './helpers';
import { holdLoopbackPortsForThisFile } from '../../fakes/oauth/loopback-lock';

// Signs in on the providers' registered loopback ports: one such file at a time.
holdLoopbackPortsForThisFile();

describe('iFlow sign-in (auth code, Basic client auth, loopback 11451, API-key retrieval)', () => {
  let pf: ProviderFake;
  let ws: Workspace;
  beforeAll(async () => {
    pf = await startIflowFake();
    ws = await workspace();
  });
  afterAll(async () => {
    await pf.fake.close();
    await ws.cleanup();
  });

  it('fetches the API key and signs chat requests with it', async () => {
    const browser = new TestBrowser();
    const { account, label } = await signIn('iflow', {
      registry: ws.registry,
      hostOverrides: pf.overrides,
      say: ws.say,
      auth: authWithSecret('iflow'),
      openUrl: (u) => browser.go(u).then(() => undefined),
    });
    expect(ws.lines[0]).toMatch(/iFlow ended its free tier/);
    expect(label).toBe('erin@example.com');
    const authorize = new URL(browser.visited[0]);
    expect(authorize.searchParams.get('redirect')).toBe('http://localhost:11451/oauth2callback');
    expect(authorize.searchParams.get('loginMethod')).toBe('phone');

    const tokens = tokenCacheFor(ws, pf.overrides);
    const credential = await tokens.getCredential(account.id);
    expect(credential).toBe('sk-iflow-erin');
    const acc = ws.registry.account(account.id)!;
    const req = iflowProvider.buildRequest({ account: acc, credential, upstreamModel: 'glm-4.6', stream: false, operation: 'generate', body: { model: 'glm-4.6', messages: [] } });
    const res = await sendUpstream(req, pf.overrides);
    expect(res.status).toBe(200);

    // A refresh fetches the key again and keeps serving.
    await tokens.refresh(account.id);
    expect(await tokens.getCredential(account.id)).toBe('sk-iflow-erin');
  });
});
