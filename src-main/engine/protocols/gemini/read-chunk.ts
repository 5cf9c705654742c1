import { isRecord } from './json';
import type { GeminiPart, GeminiResponse, GeminiUsage } from './schema';

/**
 * Hand-written reader for one streamed GenerateContentResponse. Stream chunks arrive many per
 * second; checking them field by field is several times cheaper than the zod schema, and
 * anything malformed is simply skipped, which is what a lenient decoder wants anyway.
 */
export function readChunk(value: Record<string, unknown>): GeminiResponse {
  const out: GeminiResponse = {};
  if (Array.isArray(value.candidates)) {
    out.candidates = value.candidates.filter(isRecord).map((c) => {
      const cand: NonNullable<GeminiResponse['candidates']>[number] = {};
      if (typeof c.finishReason === 'string') cand.finishReason = c.finishReason;
      if (typeof c.index === 'number') cand.index = c.index;
      if (isRecord(c.content)) {
        const parts = Array.isArray(c.content.parts) ? c.content.parts : isRecord(c.content.parts) ? [c.content.parts] : [];
        cand.content = { parts: parts.filter(isRecord).map(readPart) };
      }
      return cand;
    });
  }
  if (isRecord(value.usageMetadata)) out.usageMetadata = readUsage(value.usageMetadata);
  if (typeof value.modelVersion === 'string') out.modelVersion = value.modelVersion;
  if (typeof value.responseId === 'string') out.responseId = value.responseId;
  if (typeof value.createTime === 'string') out.createTime = value.createTime;
  if (isRecord(value.promptFeedback) && typeof value.promptFeedback.blockReason === 'string') {
    out.promptFeedback = { blockReason: value.promptFeedback.blockReason };
  }
  return out;
}

function readPart(p: Record<string, unknown>): GeminiPart {
  const part: GeminiPart = {};
  if (typeof p.text === 'string') part.text = p.text;
  if (p.thought === true) part.thought = true;
  if (typeof p.thoughtSignature === 'string') part.thoughtSignature = p.thoughtSignature;
  const inline = p.inlineData ?? p.inline_data;
  if (isRecord(inline) && typeof inline.data === 'string') {
    const mimeType = inline.mimeType ?? inline.mime_type;
    part.inlineData = typeof mimeType === 'string' ? { mimeType, data: inline.data } : { data: inline.data };
  }
  const call = p.functionCall ?? p.function_call;
  if (isRecord(call) && typeof call.name === 'string') {
    part.functionCall = { name: call.name, args: call.args };
    if (typeof call.id === 'string') part.functionCall.id = call.id;
  }
  return part;
}

function readUsage(u: Record<string, unknown>): GeminiUsage {
  const out: GeminiUsage = {};
  for (const key of ['promptTokenCount', 'candidatesTokenCount', 'totalTokenCount', 'thoughtsTokenCount', 'cachedContentTokenCount', 'toolUsePromptTokenCount'] as const) {
    const v = u[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}
