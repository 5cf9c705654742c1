import { z } from 'zod';
import type { IrRequest } from '../../ir';
import { InvalidRequestError } from '../protocol';
import { decodeRequest } from './decode-request';
import { encodeRequest } from './encode-request';
import { isRecord } from './json';
import { camelizeKeys } from './keys';

/**
 * `:countTokens` body → IR. The body is either `{contents}` or
 * `{generateContentRequest:{model, contents, systemInstruction, tools, …}}`.
 */
export function decodeCountTokensRequest(body: unknown, where: { model?: string } = {}): IrRequest {
  const b = camelizeKeys(body);
  if (!isRecord(b)) throw new InvalidRequestError('body: expected an object');
  const inner = isRecord(b.generateContentRequest) ? b.generateContentRequest : b;
  return decodeRequest(inner, { model: where.model, stream: false });
}

/** IR → `:countTokens` body for a Gemini upstream (the full-request form keeps system and tools). */
export function encodeCountTokensRequest(req: IrRequest, ctx: { upstreamModel: string }): Record<string, unknown> {
  const { body } = encodeRequest(req, { upstreamModel: ctx.upstreamModel, stream: false });
  const inner: Record<string, unknown> = { model: `models/${ctx.upstreamModel}` };
  for (const key of ['contents', 'systemInstruction', 'tools', 'toolConfig']) if (body[key] !== undefined) inner[key] = body[key];
  return { generateContentRequest: inner };
}

export function encodeCountTokensResponse(totalTokens: number): { totalTokens: number } {
  return { totalTokens };
}

const countResponseSchema = z.looseObject({ totalTokens: z.number() });

/** Upstream `{totalTokens}` (Code Assist envelope accepted) → count; throws otherwise. */
export function decodeCountTokensResponse(body: unknown): number {
  const value = isRecord(body) && isRecord(body.response) ? body.response : body;
  return countResponseSchema.parse(value).totalTokens;
}
