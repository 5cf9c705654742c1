import { createHmac, randomUUID } from 'node:crypto';
import type { ProviderDescriptor } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';

const BASE = 'https://apis.iflow.cn/v1';
export const IFLOW_USER_AGENT = 'iFlow-Cli';

/** `x-iflow-signature`: hex HMAC-SHA256 keyed with the API key over `UA:sessionId:timestamp`. */
export function iflowSignature(apiKey: string, userAgent: string, sessionId: string, timestamp: string): string {
  return createHmac('sha256', apiKey).update(`${userAgent}:${sessionId}:${timestamp}`).digest('hex');
}

/** iFlow: OpenAI chat with the account's API key (fetched at sign-in) and signed request headers. */
export const iflowProvider: ProviderDescriptor = {
  id: 'iflow',
  displayName: 'iFlow',
  protocol: 'openai-chat',
  kind: 'oauth',
  defaultBaseUrl: BASE,
  defaultModels: builtinIds('iflow'),
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
};
