import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AccountRegistry } from '../../src-main/engine/accounts/registry';
import { FileSecretStore } from '../../src-main/engine/accounts/file-secret-store';
import { startEngine, type RunningEngine } from '../integration/harness';

/**
 * Auth-file names and contents are attacker-chosen input of the management API:
 * - D15: names the store refuses (leading dot) are a 400 at the door, not a 500 from the store;
 * - path traversal names never reach the file system (what held; kept with a test);
 * - D20: a malformed file's error never quotes its content (it starts with a token);
 * - `api-call` sends an account token to provider hosts over https only (SSRF, what held).
 */
let sy: RunningEngine;
let fake: http.Server;
let fakeHits = 0;
const h = { 'x-management-key': 'm' };
const good = { type: 'codex', email: 'pat@example.com', access_token: 'tok-pat-SECRET', refresh_token: 'r', expired: '2099-01-01T00:00:00Z' };

beforeAll(async () => {
  fake = http.createServer((_req, res) => {
    fakeHits++;
    res.end('{}');
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as { port: number }).port;
  sy = await startEngine(['remote-management: {secret-key: m}', 'secret-store: file', 'host-overrides:', `  "https://chatgpt.com": "http://127.0.0.1:${port}"`].join('\n'));
  const up = await fetch(`${sy.url}/v0/management/auth-files?name=codex-pat.json`, { method: 'POST', headers: h, body: JSON.stringify(good) });
  expect(up.status).toBe(200);
});
afterAll(async () => {
  await sy?.close();
  await new Promise((r) => fake.close(r));
});

const upload = (name: string, body: string = JSON.stringify(good)) =>
  fetch(`${sy.url}/v0/management/auth-files?name=${encodeURIComponent(name)}`, { method: 'POST', headers: h, body });

describe('auth-file names', () => {
  it('D15: dot-leading names ("..json", ".hidden.json", ".json", "...json") are 400 with a reason', async () => {
    for (const name of ['..json', '.hidden.json', '.json', '...json', '.codex-pat.json', '.config.yaml.1.abcdef01.tmp.json']) {
      const res = await upload(name);
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: string }).error, name).toMatch(/name must be/);
    }
  });

  const TRAVERSAL = [
    '../x.json', '../../etc/passwd.json', '..%2Fx.json', '%2e%2e%2fx.json', '/etc/x.json', 'a/b.json', 'a\\b.json', '..\\x.json',
    'x.json/../../y.json', 'C:\\x.json', 'x\u0000.json', 'x .json', 'x\n.json', `${'a'.repeat(201)}.json`, 'x.JSON', 'x', 'x.json.', '~/x.json',
    '$HOME/x.json', '`id`.json', 'x;rm.json', 'x|y.json', '%00.json', 'x?.json', 'x*.json', 'x:y.json', '<x>.json', '"x".json',
  ];
  it(`path traversal and odd names (${TRAVERSAL.length}) are refused with 400 and write nothing`, async () => {
    const before = (await readdir(path.join(sy.dataDir, 'auth'))).sort();
    for (const name of TRAVERSAL) {
      const res = await upload(name);
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
    expect((await readdir(path.join(sy.dataDir, 'auth'))).sort()).toEqual(before);
    expect((await readdir(sy.dataDir)).filter((n) => n.endsWith('.json') && n !== 'accounts.json')).toEqual([]);
  });

  it('download and delete with the same names answer 4xx, never 5xx, and delete nothing', async () => {
    for (const name of [...TRAVERSAL, '..json', '.hidden.json']) {
      const down = await fetch(`${sy.url}/v0/management/auth-files/download?name=${encodeURIComponent(name)}`, { headers: h });
      expect(down.status, JSON.stringify(name)).toBeGreaterThanOrEqual(400);
      expect(down.status, JSON.stringify(name)).toBeLessThan(500);
      const del = await fetch(`${sy.url}/v0/management/auth-files?name=${encodeURIComponent(name)}`, { method: 'DELETE', headers: h });
      expect(del.status, JSON.stringify(name)).toBeGreaterThanOrEqual(400);
      expect(del.status, JSON.stringify(name)).toBeLessThan(500);
    }
    expect(await readdir(path.join(sy.dataDir, 'auth'))).toContain('codex-pat.json');
  });
});

describe('D20: malformed auth files are reported without their content', () => {
  const SECRETS = ['sk-ant-oat01-SECRETPREFIX', 'ya29.SECRETPREFIX'];
  const broken = [
    `{"type": "claude", "access_token": ${SECRETS[0]}`,
    `${SECRETS[1]}`,
    `{"type": "claude", "access_token": "${SECRETS[0]}" "refresh_token": "x"}`,
    `{"type": "nope-${SECRETS[0]}", "access_token": "x"}`,
  ];
  it('upload errors name the problem and position only', async () => {
    for (const body of broken) {
      const res = await upload('claude-broken.json', body);
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toMatch(/malformed/);
      expect(text).not.toMatch(/SECRET/);
    }
  });

  it('a malformed file dropped into auth-dir is listed as a problem without its content', async () => {
    for (const [i, body] of broken.entries()) await writeFile(path.join(sy.dataDir, 'auth', `claude-dropped${i}.json`), body);
    await sy.engine.registry!.load();
    const problems = sy.engine.registry!.problems();
    expect(problems.length).toBeGreaterThanOrEqual(broken.length);
    for (const p of problems) expect(p).not.toMatch(/SECRET/);
    expect(JSON.stringify(sy.engine.registry!.list())).not.toMatch(/SECRET/);
    const ui = await fetch(`${sy.url}/v0/management/ui/app:accounts:list`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{}' });
    expect(await ui.text()).not.toMatch(/SECRET/);
  });
});

describe('D20: a malformed accounts.json is reported without its content', () => {
  it('names the file and the byte, not the text around it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sy-meta-'));
    try {
      await writeFile(path.join(dir, 'accounts.json'), '{"version": 1, "accounts": {"x": {"label": SECRET-LABEL-sk-ant-oat01');
      const registry = new AccountRegistry(new FileSecretStore(path.join(dir, 'auth')), dir);
      await registry.load();
      const problems = registry.problems();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/accounts\.json is invalid \(not JSON/);
      expect(problems[0]).not.toMatch(/SECRET/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('api-call reaches provider hosts over https only (SSRF)', () => {
  const URLS = [
    'http://chatgpt.com/backend-api/wham/usage',
    'https://127.0.0.1/',
    'https://localhost:8317/v0/management/config',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/',
    'https://chatgpt.com.evil.example/',
    'https://evilchatgpt.com/',
    'https://attacker.example/?h=chatgpt.com',
    'https://chatgpt.com@attacker.example/',
    'file:///etc/passwd',
    'ftp://chatgpt.com/',
    'https://0x7f000001/',
    'https://googleapis.com.attacker.example/',
  ];
  it(`refuses ${URLS.length} non-provider URLs with 400 and sends nothing`, async () => {
    const hits = fakeHits;
    for (const url of URLS) {
      const res = await fetch(`${sy.url}/v0/management/api-call`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'application/json' },
        body: JSON.stringify({ auth_index: 'codex-pat', method: 'GET', url, header: { Authorization: 'Bearer $TOKEN$' } }),
      });
      expect(res.status, url).toBe(400);
      expect(await res.text(), url).not.toContain('tok-pat-SECRET');
    }
    expect(fakeHits).toBe(hits);
  });
});
