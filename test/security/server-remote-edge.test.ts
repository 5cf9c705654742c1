import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/engine/config/store';
import { silentLogger } from '../../src-main/engine/log/logger';
import { createRuntime, type Runtime } from '../../src-main/engine/runtime';
import { ROUTES } from '../../src-main/engine/server/route-table';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { pathSpellings } from './support/path-spellings';
import { rawClient } from './support/raw-http';
import { concretePath, hostileConfig, sampleBody } from './support/routes';

/**
 * What held at the server edge, kept with tests: from a non-loopback address, management stays
 * refused however the client spoofs X-Forwarded-For / Forwarded / X-Real-IP, and the model API
 * needs the key in every spelling of every route; the /ui/ panel is served with its CSP.
 * The "remote" client connects to this machine's own non-loopback address.
 */

const remoteIp = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

let upstream: CountingUpstream;
let runtime: Runtime;
let dataDir: string;
let port: number;

beforeAll(async () => {
  upstream = await startCountingUpstream();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-remote-'));
  const uiDir = path.join(dataDir, 'ui');
  await import('node:fs/promises').then((fs) => fs.mkdir(uiDir));
  await writeFile(path.join(uiDir, 'index.html'), '<!doctype html><title>panel</title>');
  const configFile = path.join(dataDir, 'config.yaml');
  await writeFile(configFile, hostileConfig(upstream.url));
  const store = await ConfigStore.open(configFile);
  runtime = createRuntime({ config: store, dataDir, logger: silentLogger, mode: 'headless', version: 'test', uiDir });
  port = (await runtime.engine.start({ host: remoteIp ? '0.0.0.0' : '127.0.0.1', port: 0 })).port;
});

afterAll(async () => {
  await runtime?.close(500);
  await rm(dataDir, { recursive: true, force: true });
  await upstream?.close();
});

describe.skipIf(!remoteIp)('from a non-loopback address', () => {
  const remote = () => rawClient(`http://${remoteIp}:${port}`);

  it('management is refused whatever forwarding headers claim', async () => {
    const http = remote();
    const spoofs: Array<Record<string, string>> = [
      {},
      { 'x-forwarded-for': '127.0.0.1' },
      { 'x-forwarded-for': '127.0.0.1, 127.0.0.1' },
      { forwarded: 'for=127.0.0.1' },
      { forwarded: 'for="[::1]"' },
      { 'x-real-ip': '127.0.0.1' },
      { 'x-forwarded-host': 'localhost', 'x-forwarded-proto': 'http' },
    ];
    for (const h of spoofs) {
      for (const p of ['/v0/management/config', '/v0/management/api-keys', '/v0/management/accounts']) {
        const res = await http.send('GET', p, { headers: { ...h, authorization: 'Bearer mgmt-secret-key' } });
        expect(res.status, `${p} ${JSON.stringify(h)}`).toBe(403);
        expect(res.text).not.toContain('mgmt-secret-key');
      }
    }
    http.close();
  });

  it('every spelling of every model route needs the client key; nothing reaches an upstream', async () => {
    const http = remote();
    const before = upstream.hits;
    for (const r of ROUTES.filter((x) => x.access === 'client-key')) {
      const sample = r.method === 'POST' ? sampleBody(r.id) : undefined;
      for (const p of [concretePath(r), ...pathSpellings(concretePath(r)).filter((_, i) => i % 3 === 0)]) {
        const res = await http.send(r.method, p, { headers: sample ? { 'content-type': sample.contentType, 'x-forwarded-for': '127.0.0.1' } : {}, body: sample?.body });
        expect([400, 401, 404], `${r.method} ${p}`).toContain(res.status);
      }
    }
    expect(upstream.hits).toBe(before);
    http.close();
  });
});

describe('the /ui/ panel', () => {
  it('is served with a strict Content-Security-Policy, nosniff and no framing', async () => {
    const http = rawClient(`http://127.0.0.1:${port}`);
    const res = await http.send('GET', '/ui/');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    http.close();
  });

  it('a foreign page cannot load it in a browser context (Origin refused)', async () => {
    const http = rawClient(`http://127.0.0.1:${port}`);
    const res = await http.send('GET', '/ui/', { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    http.close();
  });
});
