import { randomBytes } from 'node:crypto';
import type { IrOutputPart, IrResponse } from '../../ir';
import type { ResponseContext } from '../protocol';
import { encodeFinishReason } from './finish-reason';
import { argumentsToObject } from './json';
import { encodeUsage } from './usage';

export function newResponseId(): string {
  return `resp_${randomBytes(12).toString('hex')}`;
}

/** One IR output part as a Gemini part; tool names restored to the client's originals. */
export function encodeOutputPart(p: IrOutputPart, ctx: ResponseContext): Record<string, unknown> {
  switch (p.type) {
    case 'text':
      return { text: p.text };
    case 'reasoning': {
      const part: Record<string, unknown> = { text: p.text, thought: true };
      if (p.signature) part.thoughtSignature = p.signature;
      return part;
    }
    case 'tool-call': {
      const call: Record<string, unknown> = { name: ctx.toolNames?.get(p.name) ?? p.name, args: argumentsToObject(p.arguments) };
      // The id lets the client echo it in functionResponse, which pairs parallel calls exactly.
      if (p.id) call.id = p.id;
      const part: Record<string, unknown> = { functionCall: call };
      if (p.thoughtSignature) part.thoughtSignature = p.thoughtSignature;
      return part;
    }
    case 'image':
      return { inlineData: { mimeType: p.mediaType, data: p.data } };
  }
}

/** IR response → GenerateContentResponse. */
export function encodeResponse(res: IrResponse, ctx: ResponseContext): Record<string, unknown> {
  const parts: Array<Record<string, unknown>> = [];
  for (const p of res.parts) {
    if (p.type === 'reasoning' && p.redactedData) continue; // encrypted Claude thinking means nothing to Gemini clients
    const last = parts[parts.length - 1];
    // Adjacent text of the same kind reads as one part, as Gemini itself answers.
    if (p.type === 'text' && last && typeof last.text === 'string' && !last.thought && !last.thoughtSignature) {
      last.text += p.text;
      continue;
    }
    parts.push(encodeOutputPart(p, ctx));
  }
  const out: Record<string, unknown> = {
    candidates: [
      {
        content: { role: 'model', parts: parts.length ? parts : [{ text: '' }] },
        finishReason: encodeFinishReason(res.finishReason),
        index: 0,
      },
    ],
  };
  if (res.usage) out.usageMetadata = encodeUsage(res.usage);
  out.modelVersion = ctx.clientModel;
  out.responseId = res.id || newResponseId();
  return out;
}
