import { readCodexFailure } from '../codex/reset-hints';
import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { GPT } from '../../models/shared-catalog';
import { openaiStyle } from '../../models/list-source';

/** OpenAI Responses API with a key; `base-url` is the Responses base, the engine appends /responses. */
export const provider = defineProvider({
  id: 'codex-api',
  displayName: 'OpenAI Responses API',
  protocol: 'openai-responses',
  kind: 'api-key',
  readFailure: readCodexFailure,
  configSection: { section: 'codex-api-key', entryNoun: 'Responses key' },
  catalog: GPT,
  modelList: openaiStyle((a) => a.baseUrl ?? 'https://api.openai.com/v1'),
  modelFamilies: [/^(gpt-|o\d|codex-)/i],
  owner: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  buildRequest(call) {
    return {
      url: joinUrl(call.account.baseUrl ?? this.defaultBaseUrl, 'responses'),
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const codexApiProvider = provider;
