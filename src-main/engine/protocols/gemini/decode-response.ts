import { randomBytes } from 'node:crypto';
import type { IrOutputPart, IrResponse } from '../../ir';
import { decodeFinishReason } from './finish-reason';
import { isRecord } from './json';
import { type GeminiPart, type GeminiResponse, responseSchema } from './schema';
import { decodeUsage } from './usage';

/** Ids for function calls that came without one; unique per process, stable once assigned. */
export function newCallId(n: number): string {
  return `call_${randomBytes(8).toString('hex')}_${n}`;
}

/** Code Assist answers `{response:{…}}`; accepting it here keeps callers simple. */
export function unwrapResponseEnvelope(body: unknown): unknown {
  return isRecord(body) && isRecord(body.response) && body.candidates === undefined ? body.response : body;
}

/** Gemini GenerateContentResponse (candidate 0) → IR response. */
export function decodeResponse(body: unknown): IrResponse {
  const r = responseSchema.parse(unwrapResponseEnvelope(body));
  const cand = r.candidates?.[0];
  const parts: IrOutputPart[] = [];
  let calls = 0;
  for (const p of cand?.content?.parts ?? []) {
    const part = decodeOutputPart(p, () => newCallId(calls));
    if (!part) continue;
    if (part.type === 'tool-call') calls++;
    parts.push(part);
  }
  const raw = cand?.finishReason ?? (r.promptFeedback?.blockReason ? 'SAFETY' : undefined);
  const res: IrResponse = {
    id: r.responseId ?? '',
    model: r.modelVersion ?? '',
    created: createdSeconds(r),
    parts,
    finishReason: decodeFinishReason(raw, calls > 0),
  };
  if (raw) res.rawFinishReason = raw;
  const usage = decodeUsage(r.usageMetadata);
  if (usage) res.usage = usage;
  return res;
}

/**
 * One output part. Thought text → reasoning; functionCall → tool call (args as JSON text);
 * inlineData → generated image. Parts that only carry a signature are skipped: Gemini's
 * text-part signatures are optional to return, and a tool call keeps its own.
 */
export function decodeOutputPart(p: GeminiPart, newId: () => string): IrOutputPart | undefined {
  if (p.functionCall) {
    const call: IrOutputPart = {
      type: 'tool-call',
      id: p.functionCall.id || newId(),
      name: p.functionCall.name,
      arguments: JSON.stringify(p.functionCall.args ?? {}),
    };
    if (p.thoughtSignature) call.thoughtSignature = p.thoughtSignature;
    return call;
  }
  if (p.inlineData) return { type: 'image', mediaType: p.inlineData.mimeType ?? 'image/png', data: p.inlineData.data };
  if (typeof p.text === 'string' && p.text) return p.thought ? { type: 'reasoning', text: p.text } : { type: 'text', text: p.text };
  return undefined;
}

export function createdSeconds(r: GeminiResponse): number {
  const t = r.createTime ? Date.parse(r.createTime) : NaN;
  return Number.isFinite(t) ? Math.floor(t / 1000) : Math.floor(Date.now() / 1000);
}
