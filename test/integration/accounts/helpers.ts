import { applyHostOverrides } from '../../../src-main/engine/upstream/host-overrides';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AccountRegistry } from '../../../src-main/engine/accounts/registry';
import { FileSecretStore } from '../../../src-main/engine/accounts/file-secret-store';
import { TokenCache } from '../../../src-main/engine/accounts/token-cache';
import { providerAuths } from '../../../src-main/engine/accounts/auths';
import type { ProviderAuth } from '../../../src-main/engine/accounts/provider-auth';
import type { OAuthProviderId } from '../../../src-main/engine/accounts/types';

export interface Workspace {
  dir: string;
  authDir: string;
  store: FileSecretStore;
  registry: AccountRegistry;
  lines: string[];
  say: (line: string) => void;
  cleanup(): Promise<void>;
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-accounts-'));
  const authDir = path.join(dir, 'auth');
  const store = new FileSecretStore(authDir);
  const registry = new AccountRegistry(store, dir);
  await registry.load();
  const lines: string[] = [];
  return { dir, authDir, store, registry, lines, say: (l) => lines.push(l), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The built-in provider facts (shipped client secrets included), optionally with another secret. */
export function authWithSecret(id: OAuthProviderId, secret?: string): ProviderAuth {
  return secret ? { ...providerAuths[id], clientSecret: secret } : providerAuths[id];
}

export function tokenCacheFor(ws: Workspace, overrides: Record<string, string>, secrets: Partial<Record<OAuthProviderId, string>> = {}, clock?: () => number): TokenCache {
  return new TokenCache({
    registry: ws.registry,
    auths: (id) => authWithSecret(id, secrets[id]),
    hostOverrides: () => overrides,
    clock,
  });
}

/** Send a provider's built request the way the pipeline does: URL through host-overrides. */
export async function sendUpstream(
  req: { url: string; method: string; headers: Record<string, string>; body?: string | Buffer },
  overrides: Record<string, string>,
): Promise<Response> {
  const body = typeof req.body === 'string' || req.body === undefined ? req.body : new Uint8Array(req.body);
  return fetch(applyHostOverrides(req.url, overrides), { method: req.method, headers: req.headers, body });
}

/** Engine config that serves the accounts in `authDir` with every provider host aimed at the fakes. */
export function engineConfig(authDir: string, overrides: Record<string, string>): string {
  const lines = Object.entries(overrides).map(([k, v]) => `  "${k}": "${v}"`);
  return [`auth-dir: "${authDir}"`, 'secret-store: file', 'usage-sqlite:', '  enable: false', 'host-overrides:', ...lines, ''].join('\n');
}
