import { createHmac, randomUUID } from 'node:crypto';
import { defineProvider } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { m, TEXT_TOOLS } from '../../models/shared-catalog';
import { openaiStyle } from '../../models/list-source';
import { iflowAuth } from './auth';
import { iflowQuota } from './quota';

const BASE = 'https://apis.iflow.cn/v1';
export const IFLOW_USER_AGENT = 'iFlow-Cli';

/** `x-iflow-signature`: hex HMAC-SHA256 keyed with the API key over `UA:sessionId:timestamp`. */
export function iflowSignature(apiKey: string, userAgent: string, sessionId: string, timestamp: string): string {
  return createHmac('sha256', apiKey).update(`${userAgent}:${sessionId}:${timestamp}`).digest('hex');
}

/** iFlow: OpenAI chat with the account's API key (fetched at sign-in) and signed request headers. */
export const provider = defineProvider({
  id: 'iflow',
  displayName: 'iFlow',
  protocol: 'openai-chat',
  kind: 'oauth',
  auth: iflowAuth,
  quota: iflowQuota,
  catalog: [
    m('qwen3-coder-plus', 1_000_000, 65_536, TEXT_TOOLS),
    m('qwen3-max', 262_144, 65_536, TEXT_TOOLS),
    m('glm-4.6', 200_000, 128_000, TEXT_TOOLS),
    m('kimi-k2', 131_072, 65_536, TEXT_TOOLS),
    m('deepseek-v3.2', 131_072, 65_536, TEXT_TOOLS),
  ],
  modelList: openaiStyle(() => BASE, () => ({ 'user-agent': IFLOW_USER_AGENT })),
  owner: 'iflow',
  defaultBaseUrl: BASE,
  buildRequest(call) {
    const sessionId = `session-${randomUUID()}`;
    const timestamp = String(Date.now());
    return {
      url: `${BASE}/chat/completions`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          'user-agent': IFLOW_USER_AGENT,
          'session-id': sessionId,
          'x-iflow-timestamp': timestamp,
          'x-iflow-signature': iflowSignature(call.credential, IFLOW_USER_AGENT, sessionId, timestamp),
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const iflowProvider = provider;
