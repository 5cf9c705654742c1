import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { kimiProvider } from '../../../src-main/engine/providers/kimi';
import { qwenProvider } from '../../../src-main/engine/providers/qwen';
import { xaiProvider } from '../../../src-main/engine/providers/xai';
import type { ProviderDescriptor } from '../../../src-main/engine/providers/provider';
import { TestBrowser } from '../../fakes/oauth/browser';
import { waitForLine } from '../../fakes/oauth/lines';
import { startDeviceFake, type ProviderFake } from '../../fakes/oauth/providers';
import { sendUpstream, tokenCacheFor, workspace, type Workspace } from './helpers';

const DEVICE_LINE = /^Open (\S+) and enter code (\S+)$/;

describe('device-code sign-ins', () => {
  let pf: ProviderFake | undefined;
  let ws: Workspace | undefined;
  afterEach(async () => {
    await pf?.fake.close();
    await ws?.cleanup();
  });

  const cases: Array<[ 'qwen' | 'kimi' | 'xai', ProviderDescriptor, RegExp, string]> = [
    ['qwen', qwenProvider, /^frank@example\.com$/, 'https://portal.qwen.ai/v1/chat/completions'],
    ['kimi', kimiProvider, /^Kimi /, 'https://api.kimi.com/coding/v1/chat/completions'],
    ['xai', xaiProvider, /^frank@example\.com$/, 'https://api.x.ai/v1/responses'],
  ];
  for (const [id, descriptor, labelPattern, apiUrl] of cases) {
    it(`${id}: prints the verification URL and code, polls until approved, and the token works upstream`, async () => {
      pf = await startDeviceFake(id);
      ws = await workspace();
      const w = ws;
      const prompts: unknown[] = [];
      const run = signIn(id, { registry: w.registry, hostOverrides: pf.overrides, say: w.say, noBrowser: true, pollIntervalMs: 50, onPrompt: (p) => prompts.push(p) });
      const [, uri, code] = DEVICE_LINE.exec(await waitForLine(w.lines, DEVICE_LINE))!;
      expect(prompts).toEqual([expect.objectContaining({ kind: 'device', verificationUri: uri, userCode: code })]);
      const done = await new TestBrowser().approveDevice(uri, code);
      expect(done.status).toBe(200);
      const { account, label } = await run;
      expect(label).toMatch(labelPattern);
      const rec = JSON.parse(await readFile(path.join(w.authDir, `${account.id}.json`), 'utf8')) as Record<string, unknown>;
      expect(rec.type).toBe(id);
      if (id === 'qwen') {
        expect(w.lines[0]).toMatch(/Qwen ended the free/);
        expect(rec.resource_url).toBe('portal.qwen.ai');
      }
      const acc = w.registry.account(account.id)!;
      const credential = await tokenCacheFor(w, pf.overrides).getCredential(account.id);
      const req = descriptor.buildRequest({ account: acc, credential, upstreamModel: 'm', stream: false, operation: 'generate', body: { model: 'm' } });
      expect(req.url).toBe(apiUrl);
      expect((await sendUpstream(req, pf.overrides)).status).toBe(200);
      if (id === 'kimi') {
        // The sign-in records the install's device id and requests carry it (kimi-cli's X-Msh-*).
        expect(typeof rec.device_id).toBe('string');
        expect(pf.apiCalls.at(-1)!.headers['x-msh-device-id']).toBe(rec.device_id);
        expect(pf.apiCalls.at(-1)!.headers['x-msh-platform']).toBe('kimi_cli');
      }
      if (id === 'xai') expect(pf.apiCalls.at(-1)!.headers['x-xai-token-auth']).toBe('xai-grok-cli');
    });
  }

  it('stops with a clear error when the device code expires, saving nothing', async () => {
    pf = await startDeviceFake('kimi', { deviceCodeTtl: 1 });
    ws = await workspace();
    const run = signIn('kimi', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, noBrowser: true, pollIntervalMs: 300 });
    await expect(run).rejects.toThrow(/device code expired/);
    expect(await readdir(ws.authDir).catch(() => [])).toEqual([]);
  });

  it('reports a denied device sign-in', async () => {
    pf = await startDeviceFake('qwen');
    ws = await workspace();
    pf.fake.control.deny = true;
    const run = signIn('qwen', { registry: ws.registry, hostOverrides: pf.overrides, say: ws.say, noBrowser: true, pollIntervalMs: 50 });
    run.catch(() => undefined);
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(ws.lines, DEVICE_LINE))!;
    await new TestBrowser().approveDevice(uri, code);
    await expect(run).rejects.toThrow(/denied/);
  });
});
