import { randomUUID } from 'node:crypto';
import { readCodexFailure } from './reset-hints';
import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { archName, osName } from '../../accounts/upstream-identity';
import { GPT } from '../../models/shared-catalog';
import { codexAuth } from './auth';
import { codexQuota } from './quota';
import { codexModelList } from './models';

const BASE = 'https://chatgpt.com/backend-api/codex';

/**
 * ChatGPT's Codex backend (PROTOCOLS.md §4.2): Responses wire format, streaming only (the
 * pipeline rebuilds non-stream answers), `chatgpt-account-id` from the sign-in's id_token.
 */
export const provider = defineProvider({
  id: 'codex',
  displayName: 'Codex (ChatGPT subscription)',
  protocol: 'openai-responses',
  kind: 'oauth',
  readFailure: readCodexFailure,
  capabilities: { streamOnly: true },
  auth: codexAuth,
  quota: codexQuota,
  catalog: GPT,
  modelList: codexModelList,
  modelFamilies: [/^(gpt-|o\d|codex-)/i],
  owner: 'openai',
  defaultBaseUrl: BASE,
  buildRequest(call) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${call.credential}`,
      accept: 'text/event-stream',
      originator: 'codex-tui',
      'user-agent': `codex-tui/0.118.0 (${osName()}; ${archName()})`,
      session_id: randomUUID(),
    };
    const accountId = call.account.meta.account_id;
    if (typeof accountId === 'string' && accountId) headers['chatgpt-account-id'] = accountId;
    return { url: joinUrl(BASE, 'responses'), method: 'POST', headers: withCustomHeaders(headers, call.account.headers), body: bodyText(call) };
  },
  wrapRequest(body) {
    // The backend streams only, never stores, wants `instructions`, and refuses sampling/limit knobs.
    const out: Record<string, unknown> = { ...body, stream: true, store: false };
    if (typeof out.instructions !== 'string') out.instructions = '';
    delete out.max_output_tokens;
    delete out.temperature;
    delete out.top_p;
    return out;
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const codexProvider = provider;
