import type { ProviderDescriptor, ProviderId } from './provider';
import { openaiCompatibilityProvider } from './openai-compatibility';
import { geminiApiProvider } from './gemini-api';
import { vertexProvider } from './vertex';
import { claudeApiProvider } from './claude-api';
import { codexApiProvider } from './codex-api';

/** Every upstream kind; adding a provider = its folder + one line here. */
export const providers: Partial<Record<ProviderId, ProviderDescriptor>> = {
  'openai-compatibility': openaiCompatibilityProvider,
  'gemini-api': geminiApiProvider,
  vertex: vertexProvider,
  'claude-api': claudeApiProvider,
  'codex-api': codexApiProvider,
};

export function providerFor(id: ProviderId): ProviderDescriptor {
  const p = providers[id];
  if (!p) throw new Error(`no provider registered for "${id}"`);
  return p;
}
