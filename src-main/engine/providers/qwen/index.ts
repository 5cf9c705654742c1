import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { archName, osName, trustedBase } from '../../accounts/upstream-identity';
import { m, TEXT_TOOLS } from '../../models/shared-catalog';
import { openaiStyle } from '../../models/list-source';
import { qwenAuth } from './auth';
import { qwenQuota } from './quota';

const DEFAULT_BASE = 'https://portal.qwen.ai/v1';

/** `https://<resource_url>/v1` from the token answer (Qwen and Alibaba Cloud hosts only), else the portal. */
function qwenBase(resource: unknown): string {
  const host = trustedBase(typeof resource === 'string' ? resource : undefined, ['qwen.ai', 'aliyuncs.com'], '');
  return host ? (host.endsWith('/v1') ? host : `${host}/v1`) : DEFAULT_BASE;
}

/**
 * Qwen Code OAuth: OpenAI chat at `https://<resource_url>/v1` (from the token answer) or the
 * portal default, with Qwen Code's DashScope identity headers.
 */
export const provider = defineProvider({
  id: 'qwen',
  displayName: 'Qwen Code',
  protocol: 'openai-chat',
  kind: 'oauth',
  auth: qwenAuth,
  quota: qwenQuota,
  catalog: [
    m('coder-model', 1_000_000, 65_536, TEXT_TOOLS, 'Qwen Coder'),
    m('qwen3-coder-plus', 1_000_000, 65_536, TEXT_TOOLS, 'Qwen3 Coder Plus'),
    m('qwen3-coder-flash', 1_000_000, 65_536, TEXT_TOOLS, 'Qwen3 Coder Flash'),
  ],
  modelList: openaiStyle((a) => qwenBase(a.meta.resource_url)),
  modelFamilies: [/^qwen/i],
  owner: 'qwen',
  defaultBaseUrl: DEFAULT_BASE,
  buildRequest(call) {
    const base = qwenBase(call.account.meta.resource_url);
    const ua = `QwenCode/0.14.2 (${osName()}; ${archName()})`;
    return {
      url: joinUrl(base, 'chat/completions'),
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          'user-agent': ua,
          'x-dashscope-useragent': ua,
          'x-dashscope-authtype': 'qwen-oauth',
          'x-dashscope-cachecontrol': 'enable',
          'x-stainless-lang': 'js',
          'x-stainless-runtime': 'node',
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const qwenProvider = provider;
