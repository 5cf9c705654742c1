import { createHash, randomUUID } from 'node:crypto';
import type { SseEvent } from '../../sse/types';
import { isRecord, safeJsonParse } from './json';

/**
 * The Code Assist envelope spoken by the gemini-cli and Antigravity backends
 * (`/v1internal:generateContent`): `{model, project, request:{GenerateContentRequest}}` out,
 * `{response:{GenerateContentResponse}}` back (PROTOCOLS.md §3.1).
 */
export interface CodeAssistOptions {
  model: string;
  project: string;
  /** `antigravity` switches on that backend's extra fields. */
  userAgent?: string;
  /** Antigravity: `agent`, `image_gen`, `web_search`. */
  requestType?: string;
}

export function wrapCodeAssist(body: Record<string, unknown>, opts: CodeAssistOptions): Record<string, unknown> {
  const request: Record<string, unknown> = { ...body };
  delete request.model;
  if (request.system_instruction !== undefined && request.systemInstruction === undefined) {
    request.systemInstruction = request.system_instruction;
  }
  delete request.system_instruction;
  if (Array.isArray(request.contents)) {
    // The backend accepts only user/model roles (older clients send `function`/`tool`).
    request.contents = request.contents.map((c) => (isRecord(c) ? { ...c, role: c.role === 'model' ? 'model' : 'user' } : c));
  }
  const out: Record<string, unknown> = { model: opts.model, project: opts.project };
  if (opts.userAgent === 'antigravity') {
    delete request.safetySettings; // refused by the Antigravity backend
    request.sessionId = sessionIdFor(request);
    out.requestId = opts.requestType === 'image_gen' ? `image_gen/${Date.now()}/${randomUUID()}/12` : `agent-${randomUUID()}`;
  }
  out.request = request;
  if (opts.userAgent) out.userAgent = opts.userAgent;
  if (opts.requestType) out.requestType = opts.requestType;
  return out;
}

/** `{response:{…}}` → `{…}`; anything else is returned as it is. */
export function unwrapCodeAssist(body: unknown): unknown {
  return isRecord(body) && isRecord(body.response) ? body.response : body;
}

/** Stream-event form of unwrapCodeAssist, for a provider's `unwrapStreamEvent`. */
export function unwrapCodeAssistEvent(ev: SseEvent): SseEvent {
  if (!ev.data.includes('"response"')) return ev;
  const value = safeJsonParse(ev.data);
  if (!isRecord(value) || !isRecord(value.response)) return ev;
  return { ...ev, data: JSON.stringify(value.response) };
}

/**
 * Antigravity wants a stable per-conversation session id: a negative decimal derived from the
 * first user text, so every turn of one conversation lands in the same session.
 */
function sessionIdFor(request: Record<string, unknown>): string {
  const contents = Array.isArray(request.contents) ? request.contents : [];
  for (const c of contents) {
    if (!isRecord(c) || c.role !== 'user' || !Array.isArray(c.parts)) continue;
    const text = c.parts.find((p) => isRecord(p) && typeof p.text === 'string' && p.text);
    if (isRecord(text)) {
      const digest = createHash('sha256').update(text.text as string).digest();
      return `-${digest.readBigUInt64BE(0) & 0x7fffffffffffffffn}`;
    }
  }
  return `-${BigInt(`0x${randomUUID().replace(/-/g, '').slice(0, 15)}`)}`;
}
