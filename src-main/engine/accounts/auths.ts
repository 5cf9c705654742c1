import { antigravityAuth } from '../providers/antigravity/auth';
import { claudeAuth } from '../providers/claude/auth';
import { codexAuth } from '../providers/codex/auth';
import { geminiCliAuth } from '../providers/gemini-cli/auth';
import { iflowAuth } from '../providers/iflow/auth';
import { kimiAuth } from '../providers/kimi/auth';
import { qwenAuth } from '../providers/qwen/auth';
import { xaiAuth } from '../providers/xai/auth';
import { copilotAuth } from '../providers/copilot/auth';
import type { ProviderAuth } from './provider-auth';
import type { OAuthProviderId } from './types';

/** Sign-in facts per OAuth provider; adding one = its `providers/<id>/auth.ts` + one line here. */
export const providerAuths: Record<OAuthProviderId, ProviderAuth> = {
  claude: claudeAuth,
  codex: codexAuth,
  'gemini-cli': geminiCliAuth,
  antigravity: antigravityAuth,
  qwen: qwenAuth,
  iflow: iflowAuth,
  kimi: kimiAuth,
  xai: xaiAuth,
  copilot: copilotAuth,
};

export function authFor(id: OAuthProviderId): ProviderAuth {
  return providerAuths[id];
}
