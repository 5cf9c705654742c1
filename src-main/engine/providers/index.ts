import type { ProviderDescriptor, ProviderId } from './provider';
import { openaiCompatibilityProvider } from './openai-compatibility';
import { geminiApiProvider } from './gemini-api';
import { vertexProvider } from './vertex';
import { claudeApiProvider } from './claude-api';
import { codexApiProvider } from './codex-api';
import { claudeProvider } from './claude';
import { codexProvider } from './codex';
import { geminiCliProvider } from './gemini-cli';
import { antigravityProvider } from './antigravity';
import { qwenProvider } from './qwen';
import { iflowProvider } from './iflow';
import { kimiProvider } from './kimi';
import { xaiProvider } from './xai';
import { copilotProvider } from './copilot';

/** Every upstream kind; adding a provider = its folder + one line here. */
export const providers: Record<ProviderId, ProviderDescriptor> = {
  'openai-compatibility': openaiCompatibilityProvider,
  'gemini-api': geminiApiProvider,
  vertex: vertexProvider,
  'claude-api': claudeApiProvider,
  'codex-api': codexApiProvider,
  claude: claudeProvider,
  codex: codexProvider,
  'gemini-cli': geminiCliProvider,
  antigravity: antigravityProvider,
  qwen: qwenProvider,
  iflow: iflowProvider,
  kimi: kimiProvider,
  xai: xaiProvider,
  copilot: copilotProvider,
};

export function providerFor(id: ProviderId): ProviderDescriptor {
  const p = providers[id];
  if (!p) throw new Error(`no provider registered for "${id}"`);
  return p;
}
