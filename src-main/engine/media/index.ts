import express, { type Request, type Response, type Router } from 'express';
import type { PipelineDeps } from '../pipeline/generate';
import { geminiEmbedHandler, openaiEmbeddingsHandler, sendError, type MediaRouteDeps } from './embeddings';
import { imageEditsHandler, imageGenerationsHandler } from './images';

export type { MediaRouteDeps } from './embeddings';

/**
 * Embeddings and image routes, all fed through the same routing, failover and usage records
 * as chat. Bodies are read here (JSON with the upload limit, multipart streamed), so mount
 * this router without a body parser in front of it, after the client-key check.
 */
export function mediaRoutes(deps: { pipeline: () => PipelineDeps; uploadLimitBytes: () => number }): Router {
  const d: MediaRouteDeps = deps;
  const router = express.Router();
  const wrap = (h: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: (err?: unknown) => void) => {
    h(req, res).catch(next);
  };
  router.post('/v1/embeddings', wrap(openaiEmbeddingsHandler(d)));
  router.post('/v1/images/generations', wrap(imageGenerationsHandler(d)));
  router.post('/v1/images/edits', wrap(imageEditsHandler(d)));
  // Gemini puts model and action in one path segment: /v1beta/models/{model}:{action}
  router.post('/v1beta/models/*rest', (req: Request, res: Response, next) => {
    const tail = ([] as string[]).concat((req.params as Record<string, string | string[]>).rest ?? []).join('/');
    const i = tail.lastIndexOf(':');
    const action = i > 0 ? tail.slice(i + 1) : '';
    if (action !== 'embedContent' && action !== 'batchEmbedContents') return next();
    const model = tail.slice(0, i);
    if (!model) return sendError(res, d.pipeline().protocols.gemini, { status: 400, kind: 'invalid_request', message: 'The model name is missing from the path.' });
    geminiEmbedHandler(d, req, res, { model, batch: action === 'batchEmbedContents' }).catch(next);
  });
  return router;
}
