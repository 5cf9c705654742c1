import type { Request, Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { rewriteTopLevelModel } from '../pipeline/model-rewrite';
import type { Candidate } from '../pipeline/types';
import { InvalidRequestError, type WireError } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import { describeZodError } from './openai-embeddings-schema';
import type { MediaRouteDeps } from './embeddings';
import { sendError } from './embeddings';
import {
  geminiImageResponseSchema,
  openaiImageEditFieldsSchema,
  openaiImagesRequestSchema,
  type GeminiImageResponse,
} from './images-schema';
import {
  geminiImageRequest,
  imageConfigForSize,
  imagesOfGemini,
  openaiImagesBody,
  sumGeminiUsage,
  usageOfOpenaiImages,
  type GeminiPart,
} from './images-translate';
import { readJsonObject } from './json-body';
import { parseImageUpload, type ParsedUpload } from './multipart';
import { runMedia, UpstreamShapeError, type MediaCallSpec, type MediaReply } from './run';
import { placeholder, rebuildMultipart, splicedJson } from './upload-bodies';

/** Upstreams that make images, as each provider folder declares it. */
export function canMakeImages(p: ProviderDescriptor): boolean {
  return p.capabilities.images;
}

function invalid(message: string, param?: string): WireError {
  return { status: 400, kind: 'invalid_request', message, details: param ? { param } : undefined };
}

/** Gemini answers → OpenAI images body; a model that drew nothing gets a 400 saying why. */
function geminiImagesReply(bodies: unknown[], format: 'b64_json' | 'url'): MediaReply {
  const parsed: GeminiImageResponse[] = bodies.map((b) => {
    const r = geminiImageResponseSchema.safeParse(b);
    if (!r.success) throw new UpstreamShapeError(r.error.message.slice(0, 300));
    return r.data;
  });
  const all = parsed.map(imagesOfGemini);
  const images = all.flatMap((a) => a.images);
  if (images.length === 0) {
    const why = all.find((a) => a.finish)?.finish;
    const said = all.map((a) => a.text).join(' ').trim();
    throw new InvalidRequestError(
      `The model returned no image${why ? ` (finish reason ${why})` : ''}${said ? `: ${said.slice(0, 500)}` : '.'}`,
      'prompt',
    );
  }
  const usage = sumGeminiUsage(parsed);
  return { body: openaiImagesBody(images, format, usage), usage };
}

function passthroughReply(bodies: unknown[], raw: Buffer[]): MediaReply {
  return { body: raw[0], usage: usageOfOpenaiImages(bodies[0]) };
}

function common(req: Request, res: Response, model: string, body?: unknown) {
  return {
    conversation: { headers: req.headers, body },
    requestId: String(res.locals.requestId ?? randomUUID()),
    res,
    inboundFormat: 'openai-chat' as const,
    operation: 'image' as const,
    model,
    clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
    supports: canMakeImages,
  };
}

/** POST /v1/images/generations */
export function imageGenerationsHandler(deps: MediaRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const pipeline = deps.pipeline();
    const errorProtocol = pipeline.protocols['openai-chat'];
    const read = await readJsonObject(req, deps.uploadLimitBytes());
    if ('status' in read) return sendError(res, errorProtocol, read);
    const parsed = openaiImagesRequestSchema.safeParse(read.body);
    if (!parsed.success) {
      const { message, param } = describeZodError(parsed.error);
      return sendError(res, errorProtocol, invalid(message, param));
    }
    const r = parsed.data;
    if (r.stream === true) {
      return sendError(res, errorProtocol, invalid('Streaming image generation ("stream": true) is not supported; send the request without it.', 'stream'));
    }
    const format = r.response_format ?? 'b64_json';
    await runMedia(
      {
        ...common(req, res, r.model, read.body),
        errorProtocol,
        build(c: Candidate, provider): MediaCallSpec[] {
          if (provider.protocol !== 'gemini') {
            return [{ body: r.model === c.upstreamModel ? read.raw : rewriteTopLevelModel(read.raw, c.upstreamModel) }];
          }
          // Image models draw one picture per call: n pictures are n calls made together.
          const body = geminiImageRequest([{ text: r.prompt }], imageConfigForSize(r.size));
          return Array.from({ length: r.n ?? 1 }, () => ({ body }));
        },
        reply: (_c, provider, bodies, raw) => (provider.protocol === 'gemini' ? geminiImagesReply(bodies, format) : passthroughReply(bodies, raw)),
      },
      pipeline,
    );
  };
}

const MASK_NOTE =
  'The last image above is a mask for the image(s) before it: change only the areas where the mask is transparent and keep everything else as it is.';

/** POST /v1/images/edits (multipart/form-data) */
export function imageEditsHandler(deps: MediaRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const pipeline = deps.pipeline();
    const errorProtocol = pipeline.protocols['openai-chat'];
    const upload = await parseImageUpload(req, deps.uploadLimitBytes());
    if ('status' in upload) {
      if (!req.readableEnded) res.setHeader('connection', 'close');
      return sendError(res, errorProtocol, upload);
    }
    const parsed = openaiImageEditFieldsSchema.safeParse(upload.fields);
    if (!parsed.success) {
      const { message, param } = describeZodError(parsed.error);
      return sendError(res, errorProtocol, invalid(message, param));
    }
    const f = parsed.data;
    const format = f.response_format ?? 'b64_json';
    await runMedia(
      {
        ...common(req, res, f.model, upload.fields),
        errorProtocol,
        build: (c, provider) => (provider.protocol === 'gemini' ? geminiEditCalls(upload, f.prompt, f.size, f.n ?? 1) : [openaiEditCall(upload, c.upstreamModel)]),
        reply: (_c, provider, bodies, raw) => (provider.protocol === 'gemini' ? geminiImagesReply(bodies, format) : passthroughReply(bodies, raw)),
      },
      pipeline,
    );
  };
}

/** The uploads become inline parts; their base64 is written straight into the outgoing body. */
function geminiEditCalls(upload: ParsedUpload, prompt: string, size: string | undefined, n: number): MediaCallSpec[] {
  const config = imageConfigForSize(size);
  // A per-request nonce, so a prompt that happens to contain the marker text is left alone.
  const nonce = randomBytes(8).toString('hex');
  const files = [...upload.images, ...(upload.mask ? [upload.mask] : [])];
  const parts: GeminiPart[] = files.map((img, i) => ({ inlineData: { mimeType: img.mime, data: placeholder(nonce, i) } }));
  if (upload.mask) parts.push({ text: MASK_NOTE });
  parts.push({ text: prompt });
  const body = geminiImageRequest(parts, config);
  const spec: MediaCallSpec = { body, spliceJson: (text) => splicedJson(text, files, nonce) };
  return Array.from({ length: n }, () => spec);
}

function openaiEditCall(upload: ParsedUpload, upstreamModel: string): MediaCallSpec {
  const mp = rebuildMultipart(upload, { model: upstreamModel }, upload.images.length > 1 ? 'image[]' : 'image');
  return {
    body: Buffer.alloc(0),
    stream: mp.chunks,
    contentType: mp.contentType,
    mapUrl: (url) => url.replace(/\/images\/generations(?=$|\?)/, '/images/edits'),
  };
}
