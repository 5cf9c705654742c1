import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Protocol, ProtocolId } from '../protocols/protocol';
import type { Logger } from '../log/logger';
import { checkHostAndOrigin } from './host-guard';
import { clientKeyLabel, matchClientKey, presentedClientKey } from './client-auth';
import { inboundRoutes, sendWireError, type InboundDeps } from './inbound-routes';

export interface AppDeps extends InboundDeps {
  logger: Logger;
  /** Live settings read per request (hot reload). */
  settings: () => { apiKeys: readonly string[]; allowedOrigins: readonly string[]; bindHost: string; port: number; loopbackBind: boolean };
  /** More model-API routers (embeddings, images), behind the client key check. */
  apiRouters?: express.Router[];
  /** Extra routers mounted before the API (management, UI, OAuth callbacks). */
  mounts?: Array<{ path: string; router: express.Router }>;
}

/** Which wire format a path speaks, so even auth failures come back in the caller's shape. */
export function protocolForPath(path: string, protocols: Record<ProtocolId, Protocol>): Protocol {
  if (path.startsWith('/v1beta')) return protocols.gemini;
  if (path.startsWith('/v1/messages')) return protocols['claude-messages'];
  if (path.startsWith('/v1/responses')) return protocols['openai-responses'];
  return protocols['openai-chat'];
}

const API_PREFIXES = ['/v1/', '/v1beta/'];

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    const s = deps.settings();
    const refusal = checkHostAndOrigin(req, s);
    if (refusal) {
      deps.logger.warn('refused by host/origin guard', { path: req.path, reason: refusal });
      return sendWireError(res, protocolForPath(req.path, deps.protocols), { status: 403, kind: 'permission', message: refusal });
    }
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.head('/healthz', (_req, res) => {
    res.status(200).end();
  });

  for (const m of deps.mounts ?? []) app.use(m.path, m.router);

  // Client API keys for the model API.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!API_PREFIXES.some((p) => req.path.startsWith(p))) return next();
    const keys = deps.settings().apiKeys;
    if (keys.length === 0) return next();
    const presented = presentedClientKey(req);
    const protocol = protocolForPath(req.path, deps.protocols);
    if (!presented) {
      return sendWireError(res, protocol, { status: 401, kind: 'authentication', code: 'invalid_api_key', message: 'Missing API key. Send it as Authorization: Bearer <key>.' });
    }
    const idx = matchClientKey(presented, keys);
    if (idx < 0) {
      return sendWireError(res, protocol, { status: 401, kind: 'authentication', code: 'invalid_api_key', message: 'Invalid API key.' });
    }
    res.locals.clientKeyLabel = clientKeyLabel(keys, idx);
    next();
  });

  for (const r of deps.apiRouters ?? []) app.use(r);
  app.use(inboundRoutes(deps));

  app.get('/', (_req, res) => {
    res.json({
      name: 'Switchyard',
      endpoints: ['POST /v1/chat/completions', 'POST /v1/responses', 'POST /v1/messages', 'POST /v1beta/models/{model}:generateContent', 'GET /v1/models'],
    });
  });

  app.use((req: Request, res: Response) => {
    sendWireError(res, protocolForPath(req.path, deps.protocols), { status: 404, kind: 'not_found', message: `No route for ${req.method} ${req.path}.` });
  });

  // Body parser failures (size, encoding) and anything thrown by a handler.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    const protocol = protocolForPath(req.path, deps.protocols);
    if (status >= 500) deps.logger.error('request failed', { path: req.path, error: e.message });
    if (res.headersSent) {
      res.end();
      return;
    }
    const message =
      e.type === 'entity.too.large'
        ? `The request body is larger than the limit of ${Math.round(deps.bodyLimitBytes() / 1048576)} MB (config body-limit-mb).`
        : status >= 500
          ? 'Internal error in Switchyard.'
          : (e.message ?? 'Bad request');
    sendWireError(res, protocol, { status, kind: status === 413 || status < 500 ? 'invalid_request' : 'server', message });
  });
  return app;
}
