import { createHash } from 'node:crypto';
import { readAnthropicFailure } from './reset-hints';
import { defineProvider } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { stableUuid } from '../../accounts/upstream-identity';
import { CLAUDE } from '../../models/shared-catalog';
import { anthropicApi } from '../../models/list-source';
import { claudeAuth } from './auth';
import { claudeQuota } from './quota';

const ORIGIN = 'https://api.anthropic.com';
export const CLAUDE_OAUTH_BETAS = [
  'claude-code-20250219',
  'oauth-2025-04-20',
  'interleaved-thinking-2025-05-14',
  'fine-grained-tool-streaming-2025-05-14',
];
const IDENTITY = "You are Claude Code, Anthropic's official CLI for Claude.";

/**
 * Anthropic Messages with a Claude subscription token (PROTOCOLS.md §4.1): Bearer auth, the OAuth
 * beta set, Claude Code's identity headers, and the Claude Code system line the OAuth tokens require.
 */
export const provider = defineProvider({
  id: 'claude',
  displayName: 'Claude (subscription)',
  protocol: 'claude-messages',
  kind: 'oauth',
  readFailure: readAnthropicFailure,
  auth: claudeAuth,
  quota: claudeQuota,
  catalog: CLAUDE,
  modelList: anthropicApi(
    () => ORIGIN,
    (_a, c) => ({ authorization: `Bearer ${c}`, 'anthropic-beta': CLAUDE_OAUTH_BETAS.join(',') }),
  ),
  modelFamilies: [/^claude-/i],
  owner: 'anthropic',
  defaultBaseUrl: ORIGIN,
  buildRequest(call) {
    const path = call.operation === 'count-tokens' ? '/v1/messages/count_tokens?beta=true' : '/v1/messages?beta=true';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${call.credential}`,
      'anthropic-version': '2023-06-01',
      'anthropic-beta': CLAUDE_OAUTH_BETAS.join(','),
      'anthropic-dangerous-direct-browser-access': 'true',
      'x-app': 'cli',
      'user-agent': 'claude-cli/2.1.2 (external, cli)',
      'x-stainless-lang': 'js',
      'x-stainless-runtime': 'node',
      'x-stainless-retry-count': '0',
      'x-stainless-timeout': '600',
      'x-claude-code-session-id': stableUuid(`claude-session:${call.account.id}`),
      accept: call.stream ? 'text/event-stream' : 'application/json',
    };
    // Compressed SSE would have to be inflated before the decoder; ask for plain bytes.
    if (call.stream) headers['accept-encoding'] = 'identity';
    return { url: `${ORIGIN}${path}`, method: 'POST', headers: withCustomHeaders(headers, call.account.headers), body: bodyText(call) };
  },
  wrapRequest(body, call) {
    if (call.operation === 'count-tokens') return body;
    const out = { ...body };
    const system = out.system;
    const blocks: Array<Record<string, unknown>> =
      typeof system === 'string' ? [{ type: 'text', text: system }] : Array.isArray(system) ? (system as Array<Record<string, unknown>>) : [];
    if (!(blocks[0] && blocks[0].text === IDENTITY)) out.system = [{ type: 'text', text: IDENTITY }, ...blocks];
    const metadata = (out.metadata ?? {}) as Record<string, unknown>;
    if (!metadata.user_id) {
      const user = createHash('sha256').update(`claude-user:${call.account.id}`).digest('hex');
      out.metadata = { ...metadata, user_id: `user_${user}_account_${stableUuid(`a:${call.account.id}`)}_session_${stableUuid(`s:${call.account.id}`)}` };
    }
    return out;
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const claudeProvider = provider;
