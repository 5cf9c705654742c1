import type { ProviderDescriptor } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { archName, osName, trustedBase } from '../../accounts/upstream-identity';
import { builtinIds } from '../../models/builtin-catalog';

const DEFAULT_BASE = 'https://portal.qwen.ai/v1';

/**
 * Qwen Code OAuth: OpenAI chat at `https://<resource_url>/v1` (from the token answer) or the
 * portal default, with Qwen Code's DashScope identity headers.
 */
export const qwenProvider: ProviderDescriptor = {
  id: 'qwen',
  displayName: 'Qwen Code',
  protocol: 'openai-chat',
  kind: 'oauth',
  defaultBaseUrl: DEFAULT_BASE,
  defaultModels: builtinIds('qwen'),
  buildRequest(call) {
    const resource = call.account.meta.resource_url;
    const host = trustedBase(typeof resource === 'string' ? resource : undefined, ['qwen.ai', 'aliyuncs.com'], '');
    const base = host ? (host.endsWith('/v1') ? host : `${host}/v1`) : DEFAULT_BASE;
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
};
