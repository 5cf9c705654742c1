import { z } from 'zod';
import type { IrRequest } from '../../ir';
import type { EncodeContext } from '../protocol';
import { decodeRequest } from './decode-request';
import { encodeRequest } from './encode-request';

/** `/v1/messages/count_tokens` body → IR (same shape as a message request, no max_tokens). */
export function decodeCountTokensRequest(body: unknown, where: { model?: string } = {}): IrRequest {
  return decodeRequest(body, { model: where.model, stream: false });
}

/** IR → count_tokens body for a Claude upstream: the message fields without generation knobs. */
export function encodeCountTokensRequest(req: IrRequest, ctx: Pick<EncodeContext, 'upstreamModel'>): Record<string, unknown> {
  const { body } = encodeRequest(req, { upstreamModel: ctx.upstreamModel, stream: false });
  const keep = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking'];
  return Object.fromEntries(Object.entries(body).filter(([k]) => keep.includes(k)));
}

export function encodeCountTokensResponse(inputTokens: number): { input_tokens: number } {
  return { input_tokens: inputTokens };
}

const countResponseSchema = z.looseObject({ input_tokens: z.number() });

/** Upstream count_tokens answer → token count; throws when the body is not one. */
export function decodeCountTokensResponse(body: unknown): number {
  return countResponseSchema.parse(body).input_tokens;
}
