import type { ProviderInfo } from '../../../../src-shared/domain';

const p = (id: string, displayName: string, kind: 'api-key' | 'oauth', signIn: ProviderInfo['signIn'], protocol: string, keySection: ProviderInfo['keySection'] = null): ProviderInfo => ({
  id,
  displayName,
  kind,
  signIn,
  protocol,
  keySection,
  defaultBaseUrl: 'http://127.0.0.1:1',
  defaultModels: [],
});

/** The provider list a real engine reports, minus real URLs. */
export const fakeProviders: ProviderInfo[] = [
  p('claude', 'Claude Code', 'oauth', 'browser', 'claude-messages'),
  p('codex', 'Codex', 'oauth', 'browser', 'openai-responses'),
  p('gemini-cli', 'Gemini CLI', 'oauth', 'browser', 'gemini'),
  p('antigravity', 'Antigravity', 'oauth', 'browser', 'gemini'),
  p('qwen', 'Qwen Code', 'oauth', 'device', 'openai-chat'),
  p('gemini-api', 'Gemini API', 'api-key', 'none', 'gemini', 'gemini-api-key'),
  p('claude-api', 'Anthropic API', 'api-key', 'none', 'claude-messages', 'claude-api-key'),
  p('codex-api', 'OpenAI Responses API', 'api-key', 'none', 'openai-responses', 'codex-api-key'),
  p('openai-compatibility', 'OpenAI-compatible', 'api-key', 'none', 'openai-chat', 'openai-compatibility'),
];
