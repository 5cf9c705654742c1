import { readGoogleFailure } from '../gemini-api/reset-hints';
import { defineProvider, type UpstreamCall } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { unwrapCodeAssist, unwrapCodeAssistEvent, wrapCodeAssist } from '../../protocols/gemini/code-assist';
import { archName, osName } from '../../accounts/upstream-identity';
import { CODE_ASSIST } from './project-discovery';
import { byId, GEMINI } from '../../models/shared-catalog';
import { geminiCliAuth } from './auth';
import { geminiCliQuota } from './quota';

export function codeAssistAction(call: UpstreamCall): string {
  if (call.operation === 'count-tokens') return 'countTokens';
  return call.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
}

/** countTokens takes `{request}` only: no model, project or safety settings (PROTOCOLS.md §4). */
export function wrapCountTokens(body: Record<string, unknown>): Record<string, unknown> {
  const request = { ...body };
  delete request.model;
  delete request.safetySettings;
  return { request };
}

function projectOf(call: UpstreamCall): string {
  const p = call.account.meta.projectId;
  return typeof p === 'string' ? p : '';
}

/** Gemini through Google's Code Assist backend with a Gemini CLI sign-in (v1internal envelope). */
export const provider = defineProvider({
  id: 'gemini-cli',
  displayName: 'Gemini CLI (Code Assist)',
  protocol: 'gemini',
  kind: 'oauth',
  readFailure: readGoogleFailure,
  capabilities: { images: true },
  auth: geminiCliAuth,
  quota: geminiCliQuota,
  // Code Assist has no model list: the catalog plus family routing.
  catalog: byId(GEMINI, ['gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']),
  modelFamilies: [/^gemini-/i],
  owner: 'google',
  defaultBaseUrl: CODE_ASSIST,
  buildRequest(call) {
    return {
      url: `${CODE_ASSIST}/v1internal:${codeAssistAction(call)}`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          'user-agent': `GeminiCLI/0.31.0/${call.upstreamModel} (${osName()}; ${archName()})`,
          'x-goog-api-client': 'google-genai-sdk/1.41.0 gl-node/v22.19.0',
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
  wrapRequest(body, call) {
    if (call.operation === 'count-tokens') return wrapCountTokens(body);
    return wrapCodeAssist(body, { model: call.upstreamModel, project: projectOf(call) });
  },
  unwrapStreamEvent: unwrapCodeAssistEvent,
  unwrapResponse: unwrapCodeAssist,
});

/** The folder's module under its older name (tests and neighbours import it). */
export const geminiCliProvider = provider;
