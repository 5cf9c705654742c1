import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedAuthFileError, accountIdFor, parseAuthFile, providerOfRecord, tokensOf, withTokens } from '../../../../src-main/engine/accounts/auth-file';

const dir = path.resolve(import.meta.dirname, '../../../fixtures/auth-files');
const load = (name: string) => parseAuthFile(name, readFileSync(path.join(dir, name), 'utf8'));

describe('CLIProxyAPI auth files', () => {
  it('reads every documented provider layout', () => {
    expect(providerOfRecord(load('gemini-user@example.com-my-project.json'))).toBe('gemini-cli');
    expect(tokensOf(load('gemini-user@example.com-my-project.json'))).toMatchObject({
      accessToken: 'ya29.fixture-access',
      refreshToken: '1//fixture-refresh',
      expiresAt: Date.parse('2026-08-01T11:00:00Z'),
    });
    expect(tokensOf(load('claude-user@example.com.json'))!.expiresAt).toBe(Date.parse('2026-08-01T18:00:00Z'));
    expect(tokensOf(load('kimi-1785578400000.json'))!.accessToken).toBe('kimi-fixture-access');
    const ag = load('antigravity-user@example.com.json');
    delete ag.expired;
    expect(tokensOf(ag)!.expiresAt).toBe(1785578400000 + 3599_000);
  });

  it('rejects broken and foreign files with a message naming the file', () => {
    expect(() => load('claude-broken@example.com.json')).toThrow(MalformedAuthFileError);
    expect(() => load('claude-broken@example.com.json')).toThrow(/claude-broken@example\.com\.json is malformed \(not JSON/);
    expect(() => load('vertex-my-project.json')).toThrow(/unsupported type "vertex"/);
    expect(() => parseAuthFile('x.json', '[1,2]')).toThrow(/malformed/);
    expect(() => parseAuthFile('x.json', '{"type":"codex"}')).toThrow(/no access_token/);
  });

  it('writes refreshed tokens in the provider layout and keeps every other field', () => {
    const now = Date.parse('2026-08-02T00:00:00Z');
    const t = { accessToken: 'new-a', refreshToken: 'new-r', expiresAt: now + 3600_000, tokenType: 'Bearer' };
    const gem = withTokens(load('gemini-user@example.com-my-project.json'), 'gemini-cli', t, now);
    expect(gem).toMatchObject({ type: 'gemini', project_id: 'my-project', access_token: 'new-a', expiry: '2026-08-02T01:00:00.000Z' });
    expect(gem.token).toMatchObject({ access_token: 'new-a', refresh_token: 'new-r', token_uri: 'https://oauth2.googleapis.com/token', expiry: '2026-08-02T01:00:00.000Z' });
    const ag = withTokens(load('antigravity-user@example.com.json'), 'antigravity', t, now);
    expect(ag).toMatchObject({ timestamp: now, expires_in: 3600, project_id: 'ag-project-1' });
    const cl = withTokens(load('claude-user@example.com.json'), 'claude', { accessToken: 'a2', expiresAt: now }, now);
    expect(cl).toMatchObject({ refresh_token: 'sk-ant-ort01-fixture-refresh', organization_name: 'Example Org', prefix: 'team', last_refresh: '2026-08-02T00:00:00.000Z' });
    expect(tokensOf(cl)!.accessToken).toBe('a2');
  });

  it('names accounts the way CLIProxyAPI names files', () => {
    expect(accountIdFor('claude', 'a@b.c', { now: 1 })).toBe('claude-a@b.c');
    expect(accountIdFor('gemini-cli', 'a@b.c', { projectId: 'p-1', now: 1 })).toBe('gemini-a@b.c-p-1');
    expect(accountIdFor('kimi', undefined, { now: 42 })).toBe('kimi-42');
    expect(accountIdFor('qwen', 'we ird/name', { now: 1 })).toBe('qwen-we_ird_name');
  });

  it('has a fixture for every provider that signs in', () => {
    const types = readdirSync(dir).map((n) => n.split('-')[0]);
    for (const t of ['claude', 'codex', 'gemini', 'antigravity', 'qwen', 'iflow', 'kimi']) expect(types).toContain(t);
  });
});
