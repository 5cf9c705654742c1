import type { QuotaSource } from './source';
import { claudeQuota } from '../providers/claude/quota';
import { codexQuota } from '../providers/codex/quota';
import { geminiCliQuota } from '../providers/gemini-cli/quota';
import { antigravityQuota } from '../providers/antigravity/quota';
import { kimiQuota } from '../providers/kimi/quota';
import { xaiQuota } from '../providers/xai/quota';
import { qwenQuota } from '../providers/qwen/quota';
import { iflowQuota } from '../providers/iflow/quota';

/** Every provider that has quota knowledge; adding one = its `quota.ts` + one line here. */
export const quotaSources: Readonly<Partial<Record<string, QuotaSource>>> = {
  claude: claudeQuota,
  codex: codexQuota,
  'gemini-cli': geminiCliQuota,
  antigravity: antigravityQuota,
  kimi: kimiQuota,
  xai: xaiQuota,
  qwen: qwenQuota,
  iflow: iflowQuota,
};
