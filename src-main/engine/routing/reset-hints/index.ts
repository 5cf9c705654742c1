import type { ProviderId } from '../../providers/provider';
import { parseAnthropicResetHint } from './anthropic';
import { parseCodexHeaderHint, parseCodexResetHint } from './codex';
import type { HeaderBag, ResetHint } from './common';
import { parseGoogleResetHint } from './google';
import { parseRetryAfter } from './retry-after';

export type { HeaderBag, ResetHint } from './common';
export { parseAnthropicResetHint } from './anthropic';
export { parseCodexHeaderHint, parseCodexResetHint } from './codex';
export { parseGoogleResetHint, googleStatus } from './google';
export { parseRetryAfter } from './retry-after';
export { parseDuration } from './common';

type Parser = (headers: HeaderBag | undefined, body: unknown, now: number) => ResetHint | undefined;

const google: Parser = (_h, b, now) => parseGoogleResetHint(b, now);
const codex: Parser = (h, b, now) => parseCodexResetHint(b, now) ?? parseCodexHeaderHint(h, now);
const anthropic: Parser = (h, _b, now) => parseAnthropicResetHint(h, now);
const generic: Parser = (h, _b, now) => parseRetryAfter(h, now);

/** The provider's own format first, then the rest: compatible gateways often relay another's errors. */
const ORDER: Partial<Record<ProviderId, Parser[]>> = {
  'gemini-api': [google, generic, codex, anthropic],
  vertex: [google, generic, codex, anthropic],
  'gemini-cli': [google, generic, codex, anthropic],
  antigravity: [google, generic, codex, anthropic],
  codex: [codex, generic, google, anthropic],
  'codex-api': [codex, generic, google, anthropic],
  claude: [anthropic, generic, codex, google],
  'claude-api': [anthropic, generic, codex, google],
};
const DEFAULT_ORDER: Parser[] = [generic, codex, google, anthropic];

/** The reset time an upstream answer announces, if any. */
export function findResetHint(provider: ProviderId, headers: HeaderBag | undefined, body: unknown, now: number): ResetHint | undefined {
  for (const p of ORDER[provider] ?? DEFAULT_ORDER) {
    const hint = p(headers, body, now);
    if (hint) return hint;
  }
  return undefined;
}
