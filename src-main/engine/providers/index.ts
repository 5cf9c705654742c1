import type { ProviderDescriptor } from './provider';
import { provider as openaiCompatibility } from './openai-compatibility';
import { provider as geminiApi } from './gemini-api';
import { provider as vertex } from './vertex';
import { provider as claudeApi } from './claude-api';
import { provider as codexApi } from './codex-api';
import { provider as claude } from './claude';
import { provider as codex } from './codex';
import { provider as geminiCli } from './gemini-cli';
import { provider as antigravity } from './antigravity';
import { provider as qwen } from './qwen';
import { provider as iflow } from './iflow';
import { provider as kimi } from './kimi';
import { provider as xai } from './xai';
import { provider as copilot } from './copilot';

/**
 * THE registration list: adding a provider = its folder + one line here. The keys are the
 * provider ids (`ProviderId` is derived from them); every other list — OAuth providers, sign-in
 * facts, quota sources, model list sources, the built-in catalog, key config sections, names —
 * is read from the folder modules below. Order is display order (key providers first).
 */
const registered = {
  'openai-compatibility': openaiCompatibility,
  'gemini-api': geminiApi,
  vertex: vertex,
  'claude-api': claudeApi,
  'codex-api': codexApi,
  claude: claude,
  codex: codex,
  'gemini-cli': geminiCli,
  antigravity: antigravity,
  qwen: qwen,
  iflow: iflow,
  kimi: kimi,
  xai: xai,
  copilot: copilot,
} satisfies Record<string, ProviderDescriptor>;

export type ProviderId = keyof typeof registered;

/** Every provider by id (null prototype: ids never collide with Object.prototype names). */
export const providers: Readonly<Record<ProviderId, ProviderDescriptor>> = Object.assign(Object.create(null) as Record<ProviderId, ProviderDescriptor>, registered);

/** Registered providers in registration order. */
export const providerList: readonly ProviderDescriptor[] = Object.values(registered);

// A folder's parts must agree with its registration (a copy-pasted folder fails at start, not at a request).
for (const [id, p] of Object.entries(registered)) {
  const ids = [p.id, p.auth?.id ?? id, p.quota?.provider ?? id];
  if (ids.some((x) => x !== id)) throw new Error(`provider folder registered as "${id}" names itself ${ids.filter((x) => x !== id).join(', ')}`);
  if (p.kind === 'oauth' && !p.auth) throw new Error(`provider "${id}" signs in but declares no auth flow`);
  if (p.kind === 'api-key' && !p.configSection) throw new Error(`key provider "${id}" declares no config section`);
}

export function isProviderId(id: string): id is ProviderId {
  return Object.prototype.hasOwnProperty.call(registered, id);
}

export function providerFor(id: ProviderId): ProviderDescriptor {
  const p = isProviderId(id) ? providers[id] : undefined;
  if (!p) throw new Error(`no provider registered for "${id}"`);
  return p;
}
