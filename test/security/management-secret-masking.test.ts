import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startEngine, type RunningEngine } from '../integration/harness';
import { parseConfig } from '../../src-main/engine/config/load';

/**
 * D16: config answers of the management API mask every secret unless the caller explicitly asks
 * for plaintext with `?reveal=true` (CLIProxyAPI's panel compatibility). Masked values written
 * back (a panel saving what it read) restore the real secret; an unknown masked value is refused.
 */
const SECRETS = {
  client: 'sk-client-AAAA1111bbbb',
  client2: 'sk-client-CCCC2222dddd',
  claude: 'sk-ant-api03-XXXXyyyyZZZZ9999',
  compat: 'sk-or-v1-QQQQrrrrSSSS7777',
  gemini: 'AIzaSyDDDDeeeeFFFF5555',
  management: 'mgmt-SUPERSECRET-0000',
};
const YAML = [
  '# my comment stays',
  'host: 127.0.0.1',
  `api-keys: [${SECRETS.client}, ${SECRETS.client2}]`,
  'claude-api-key:',
  `  - api-key: ${SECRETS.claude}`,
  'gemini-api-key:',
  `  - api-key: ${SECRETS.gemini}`,
  'openai-compatibility:',
  '  - name: openrouter',
  '    base-url: https://openrouter.ai/api/v1',
  '    api-key-entries:',
  `      - api-key: ${SECRETS.compat}`,
  `remote-management: {secret-key: ${SECRETS.management}}`,
  '',
].join('\n');

let sy: RunningEngine;
const h = { 'x-management-key': SECRETS.management };
beforeAll(async () => {
  sy = await startEngine(YAML);
});
afterAll(() => sy?.close());

const get = async (p: string) => {
  const res = await fetch(`${sy.url}/v0/management/${p}`, { headers: h });
  expect(res.status, p).toBe(200);
  return res.text();
};
const saved = async () => parseConfig(await readFile(sy.configFile, 'utf8'), sy.configFile).config;
const ROUTES = ['config', 'config.yaml', 'api-keys', 'claude-api-key', 'gemini-api-key', 'openai-compatibility'];

describe('secrets in management answers', () => {
  it('are masked by default on every config route', async () => {
    for (const route of ROUTES) {
      const text = await get(route);
      for (const secret of Object.values(SECRETS)) expect(text, `${route} leaks ${secret}`).not.toContain(secret);
      expect(text, route).toContain('…');
    }
    const keys = JSON.parse(await get('api-keys')) as { 'api-keys': string[] };
    expect(keys['api-keys']).toEqual(['sk-…bbbb', 'sk-…dddd']);
    expect(await get('config.yaml')).toContain('# my comment stays');
  });

  it('are sent in plaintext only with ?reveal=true', async () => {
    const all = await get('config?reveal=true');
    for (const secret of Object.values(SECRETS)) expect(all).toContain(secret);
    expect(await get('config.yaml?reveal=true')).toBe(await readFile(sy.configFile, 'utf8'));
    expect(JSON.parse(await get('api-keys?reveal=true'))).toEqual({ 'api-keys': [SECRETS.client, SECRETS.client2] });
    expect(await get('config?reveal=false')).not.toContain(SECRETS.client);
  });
});

describe('masked values written back', () => {
  it('a masked config.yaml saved back keeps every real secret', async () => {
    const masked = await get('config.yaml');
    const put = await fetch(`${sy.url}/v0/management/config.yaml`, { method: 'PUT', headers: h, body: masked.replace('# my comment stays', '# edited in a panel') });
    expect(put.status).toBe(200);
    const cfg = await saved();
    expect(cfg['api-keys']).toEqual([SECRETS.client, SECRETS.client2]);
    expect(cfg['claude-api-key'][0]['api-key']).toBe(SECRETS.claude);
    expect(cfg['openai-compatibility'][0]['api-key-entries']?.[0]['api-key']).toBe(SECRETS.compat);
    expect(cfg['remote-management']['secret-key']).toBe(SECRETS.management);
    expect(await readFile(sy.configFile, 'utf8')).toContain('# edited in a panel');
    expect((await fetch(`${sy.url}/v1/models`, { headers: { authorization: `Bearer ${SECRETS.client}` } })).status).toBe(200);
  });

  it('a masked key list saved back with one new key keeps the old keys and adds the new one', async () => {
    const { 'api-keys': masked } = JSON.parse(await get('api-keys')) as { 'api-keys': string[] };
    const put = await fetch(`${sy.url}/v0/management/api-keys`, { method: 'PUT', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify([...masked, 'sk-client-new-EEEE3333']) });
    expect(put.status).toBe(200);
    expect((await saved())['api-keys']).toEqual([SECRETS.client, SECRETS.client2, 'sk-client-new-EEEE3333']);
    const claude = JSON.parse(await get('claude-api-key')) as { 'claude-api-key': unknown[] };
    const put2 = await fetch(`${sy.url}/v0/management/claude-api-key`, { method: 'PUT', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify(claude['claude-api-key']) });
    expect(put2.status).toBe(200);
    expect((await saved())['claude-api-key'][0]['api-key']).toBe(SECRETS.claude);
  });

  it('a masked value that matches no configured secret is refused (400) and nothing changes', async () => {
    const before = await readFile(sy.configFile, 'utf8');
    const put = await fetch(`${sy.url}/v0/management/api-keys`, { method: 'PUT', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify(['sk-…zzzz']) });
    expect(put.status).toBe(400);
    const yaml = await fetch(`${sy.url}/v0/management/config.yaml`, { method: 'PUT', headers: h, body: 'api-keys: [sk-…zzzz]\n' });
    expect(yaml.status).toBe(400);
    expect(await readFile(sy.configFile, 'utf8')).toBe(before);
  });
});
