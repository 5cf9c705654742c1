import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { rewriteTopLevelModel } from '../pipeline/model-rewrite';
import type { PipelineDeps } from '../pipeline/generate';
import type { Candidate } from '../pipeline/types';
import { InvalidRequestError, type Protocol, type WireError } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import {
  embedUsage,
  estimateTokens,
  geminiBatchToOpenai,
  geminiContentText,
  geminiToOpenaiEmbeddings,
  inputTexts,
  openaiToGeminiBatches,
  openaiVectors,
  usageOfOpenai,
} from './embeddings-translate';
import { readJsonObject } from './json-body';
import {
  describeZodError,
  geminiBatchEmbedRequestSchema,
  geminiBatchEmbedResponseSchema,
  geminiEmbedRequestSchema,
  openaiEmbeddingsRequestSchema,
  openaiEmbeddingsResponseSchema,
  type GeminiBatchEmbedRequest,
} from './openai-embeddings-schema';
import { runMedia, UpstreamShapeError, type MediaCallSpec, type MediaReply } from './run';

export interface MediaRouteDeps {
  pipeline: () => PipelineDeps;
  uploadLimitBytes: () => number;
}

/** Upstreams with an embeddings endpoint, as each provider folder declares it. */
export function canEmbed(p: ProviderDescriptor): boolean {
  return p.capabilities.embeddings;
}

const isGemini = (p: ProviderDescriptor) => p.protocol === 'gemini';

export function sendError(res: Response, protocol: Protocol, err: WireError): void {
  res.status(err.status).json(protocol.encodeError(err));
}

function invalid(message: string, param?: string): WireError {
  return { status: 400, kind: 'invalid_request', message, details: param ? { param } : undefined };
}

function parseUpstream<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new UpstreamShapeError(r.error.message.slice(0, 300));
  return r.data;
}

/** POST /v1/embeddings */
export function openaiEmbeddingsHandler(deps: MediaRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const pipeline = deps.pipeline();
    const errorProtocol = pipeline.protocols['openai-chat'];
    const read = await readJsonObject(req, deps.uploadLimitBytes());
    if ('status' in read) return sendError(res, errorProtocol, read);
    const parsed = openaiEmbeddingsRequestSchema.safeParse(read.body);
    if (!parsed.success) {
      const { message, param } = describeZodError(parsed.error);
      return sendError(res, errorProtocol, invalid(message, param));
    }
    const request = parsed.data;
    const encoding = request.encoding_format ?? 'float';
    let texts: string[] | undefined;
    const textsOf = () => (texts ??= inputTexts(request.input));

    await runMedia(
      {
        requestId: String(res.locals.requestId ?? randomUUID()),
        res,
        errorProtocol,
        inboundFormat: 'openai-chat',
        operation: 'embed',
        model: request.model,
        clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
        conversation: { headers: req.headers, body: read.body },
        supports: canEmbed,
        build(c: Candidate, provider): MediaCallSpec[] {
          if (isGemini(provider)) return openaiToGeminiBatches(request, c.upstreamModel).map((b) => ({ body: b as unknown as Record<string, unknown> }));
          const body = request.model === c.upstreamModel ? read.raw : rewriteTopLevelModel(read.raw, c.upstreamModel);
          return [{ body }];
        },
        reply(_c, provider, bodies, raw): MediaReply {
          if (!isGemini(provider)) {
            // Same format both sides: the upstream's bytes go back untouched.
            const res = openaiEmbeddingsResponseSchema.safeParse(bodies[0]);
            return { body: raw[0], usage: res.success ? usageOfOpenai(res.data) : undefined };
          }
          const outs = bodies.map((b) => parseUpstream(geminiBatchEmbedResponseSchema, b));
          const vectors = outs.flatMap((o) => o.embeddings.map((e) => e.values));
          if (vectors.length !== textsOf().length) {
            throw new UpstreamShapeError(`asked for ${textsOf().length} embeddings, got ${vectors.length}`);
          }
          const counted = outs.every((o) => o.usageMetadata?.promptTokenCount !== undefined);
          const promptTokens = counted ? outs.reduce((n, o) => n + (o.usageMetadata?.promptTokenCount ?? 0), 0) : estimateTokens(textsOf());
          return {
            body: geminiToOpenaiEmbeddings(vectors, { clientModel: request.model, encoding, promptTokens }),
            usage: embedUsage(promptTokens),
          };
        },
      },
      pipeline,
    );
  };
}

/** POST /v1beta/models/{model}:embedContent and :batchEmbedContents */
export async function geminiEmbedHandler(
  deps: MediaRouteDeps,
  req: Request,
  res: Response,
  where: { model: string; batch: boolean },
): Promise<void> {
  const pipeline = deps.pipeline();
  const errorProtocol = pipeline.protocols.gemini;
  const read = await readJsonObject(req, deps.uploadLimitBytes());
  if ('status' in read) return sendError(res, errorProtocol, read);
  let batch: GeminiBatchEmbedRequest;
  if (where.batch) {
    const p = geminiBatchEmbedRequestSchema.safeParse(read.body);
    if (!p.success) return sendError(res, errorProtocol, invalid(describeZodError(p.error).message));
    batch = p.data;
  } else {
    const p = geminiEmbedRequestSchema.safeParse(read.body);
    if (!p.success) return sendError(res, errorProtocol, invalid(describeZodError(p.error).message));
    batch = { requests: [p.data] };
  }
  const texts = batch.requests.map((r) => geminiContentText(r.content));
  const model = where.model.replace(/^models\//, '');

  await runMedia(
    {
      requestId: String(res.locals.requestId ?? randomUUID()),
      res,
      errorProtocol,
      inboundFormat: 'gemini',
      operation: 'embed',
      model,
      clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
      conversation: { headers: req.headers, body: read.body },
      supports: canEmbed,
      build(c, provider): MediaCallSpec[] {
        if (isGemini(provider)) return [geminiPassthrough(read.raw, batch, where.batch, model, c.upstreamModel)];
        const translated = geminiBatchToOpenai(batch, c.upstreamModel);
        if ('error' in translated) throw new InvalidRequestError(translated.error, 'requests');
        return [{ body: translated.body }];
      },
      reply(_c, provider, bodies, raw): MediaReply {
        if (isGemini(provider)) {
          const usageMeta = (bodies[0] as { usageMetadata?: { promptTokenCount?: number } } | undefined)?.usageMetadata;
          return { body: raw[0], usage: embedUsage(usageMeta?.promptTokenCount ?? estimateTokens(texts)) };
        }
        const out = parseUpstream(openaiEmbeddingsResponseSchema, bodies[0]);
        const vectors = openaiVectors(out);
        if (vectors.length !== texts.length) throw new UpstreamShapeError(`asked for ${texts.length} embeddings, got ${vectors.length}`);
        const usage = usageOfOpenai(out) ?? embedUsage(estimateTokens(texts));
        const body = where.batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] } };
        return { body, usage };
      },
    },
    pipeline,
  );
}

/**
 * Gemini in, Gemini out: the client's bytes when no model name changes, else the same body with
 * the per-item `model` fields renamed (Gemini checks them against the URL's model).
 */
function geminiPassthrough(raw: Buffer, batch: GeminiBatchEmbedRequest, isBatch: boolean, clientModel: string, upstreamModel: string): MediaCallSpec {
  const toSingle = isBatch ? undefined : (url: string) => url.replace(/:batchEmbedContents(?=$|\?)/, ':embedContent');
  if (clientModel === upstreamModel) return { body: raw, mapUrl: toSingle };
  const name = `models/${upstreamModel}`;
  if (!isBatch) {
    const single = batch.requests[0]!;
    return { body: single.model === undefined ? raw : rewriteTopLevelModel(raw, name), mapUrl: toSingle };
  }
  return { body: { ...batch, requests: batch.requests.map((r) => ({ ...r, model: name })) } };
}
