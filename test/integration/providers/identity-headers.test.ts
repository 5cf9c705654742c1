import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../src-main/engine/providers/provider';
import { kimiProvider } from '../../../src-main/engine/providers/kimi';
import { kimiDeviceId, loadKimiDeviceId } from '../../../src-main/engine/providers/kimi/identity';
import { xaiProvider } from '../../../src-main/engine/providers/xai';
import { startOpenAIChatUpstream } from '../../fakes/upstreams/openai-chat-upstream';
import { startOpenAIResponsesUpstream } from '../../fakes/upstreams/openai-responses-upstream';
import { sendUpstream } from '../accounts/helpers';

/**
 * Kimi and xAI calls carry their official CLIs' identity: kimi-cli's `X-Msh-*` device headers
 * (one device id per install, kept in the data dir) and the Grok CLI's token-auth / client
 * version headers. Checked on the wire, as the fake upstreams record them.
 */
function account(provider: 'kimi' | 'xai', meta: Record<string, unknown> = {}): Account {
  return { id: `${provider}-1`, provider, kind: 'oauth', label: provider, order: 0, priority: 0, weight: 1, disabled: false, meta };
}

describe('identity headers', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-identity-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('the Kimi device id is created once per install and read back after a restart', async () => {
    const first = loadKimiDeviceId(dataDir);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect((await readFile(path.join(dataDir, 'kimi-device-id'), 'utf8')).trim()).toBe(first);
    expect(loadKimiDeviceId(dataDir)).toBe(first);
    expect(kimiDeviceId()).toBe(first);
    const other = await mkdtemp(path.join(os.tmpdir(), 'sy-identity-other-'));
    try {
      expect(loadKimiDeviceId(other)).not.toBe(first);
    } finally {
      loadKimiDeviceId(dataDir);
      await rm(other, { recursive: true, force: true });
    }
  });

  it('Kimi chat calls carry kimi-cli X-Msh-* headers with the install device id', async () => {
    const id = loadKimiDeviceId(dataDir);
    const up = await startOpenAIChatUpstream();
    try {
      const req = kimiProvider.buildRequest({ account: account('kimi'), credential: 'kimi-token', upstreamModel: 'kimi-for-coding', stream: false, operation: 'generate', body: { model: 'kimi-for-coding', messages: [{ role: 'user', content: 'hi' }] } });
      const res = await sendUpstream(req, { 'https://api.kimi.com': up.url });
      expect(res.status).toBe(200);
      const h = up.requests[0].headers;
      expect(up.requests[0].path).toBe('/coding/v1/chat/completions');
      expect(h.authorization).toBe('Bearer kimi-token');
      expect(h['x-msh-platform']).toBe('kimi_cli');
      expect(h['x-msh-version']).toMatch(/^\d+\.\d+\.\d+$/);
      expect(h['user-agent']).toBe(`KimiCLI/${h['x-msh-version']}`);
      expect(h['x-msh-device-name']).toBe(os.hostname());
      expect(h['x-msh-device-model']).toBe(`${os.type()} ${os.release()} ${os.arch()}`);
      expect(h['x-msh-os-version']).toBe(os.release());
      expect(h['x-msh-device-id']).toBe(id);
    } finally {
      await up.close();
    }
  });

  it('a Kimi account with its own device id (an imported kimi-cli / CLIProxyAPI sign-in) keeps it', async () => {
    const up = await startOpenAIChatUpstream();
    try {
      const req = kimiProvider.buildRequest({ account: account('kimi', { device_id: 'imported-device-7' }), credential: 't', upstreamModel: 'kimi-for-coding', stream: false, operation: 'generate', body: { model: 'kimi-for-coding', messages: [] } });
      await sendUpstream(req, { 'https://api.kimi.com': up.url });
      expect(up.requests[0].headers['x-msh-device-id']).toBe('imported-device-7');
    } finally {
      await up.close();
    }
  });

  it('xAI Responses calls carry the Grok CLI token-auth, client version and user id headers', async () => {
    const up = await startOpenAIResponsesUpstream();
    try {
      const req = xaiProvider.buildRequest({ account: account('xai', { userId: 'user-42' }), credential: 'xai-token', upstreamModel: 'grok-4', stream: false, operation: 'generate', body: { model: 'grok-4', input: 'hi' } });
      const res = await sendUpstream(req, { 'https://api.x.ai': up.url });
      expect(res.status).toBe(200);
      const h = up.requests[0].headers;
      expect(up.requests[0].path).toBe('/v1/responses');
      expect(h.authorization).toBe('Bearer xai-token');
      expect(h['x-xai-token-auth']).toBe('xai-grok-cli');
      expect(h['x-grok-client-version']).toMatch(/^\d+\.\d+\.\d+$/);
      expect(h['x-userid']).toBe('user-42');
    } finally {
      await up.close();
    }
  });
});
