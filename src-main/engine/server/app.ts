import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Protocol, ProtocolId } from '../protocols/protocol';
import type { Logger } from '../log/logger';
import { checkHostAndOrigin } from './host-guard';
import { answerCors } from './cors';
import { clientKeyLabel, matchClientKey, presentedClientKey } from './client-auth';
import { inboundHandlers, sendWireError, type InboundDeps, type RouteHandler } from './inbound-routes';
import { matchRoute, wireForUnmatchedPath, type RouteId, type RouteMatch } from './route-table';
import { MAX_MODEL_NAME_LENGTH } from './client-input';

export interface AppDeps extends InboundDeps {
  logger: Logger;
  /** Live settings read per request (hot reload). */
  settings: () => { apiKeys: readonly string[]; allowedOrigins: readonly string[]; bindHost: string; port: number; loopbackBind: boolean };
  /** Handlers of the media routes (embeddings, images), reached only through their route-table entries. */
  apiRouters?: express.Router[];
  /** Extra routers mounted before the API (management, UI, OAuth callbacks). */
  mounts?: Array<{ path: string; router: express.Router }>;
}

/** The wire format errors for this request are written in: its route's, else a guess from the path. */
export function protocolForRequest(req: Request, protocols: Record<ProtocolId, Protocol>): Protocol {
  const match = (req.res?.locals.route as RouteMatch | undefined) ?? matchRoute(req.method, req.path);
  return protocols[match?.spec.wire ?? wireForUnmatchedPath(req.path)];
}

/** Runs the media routers in turn; a request none of them answers falls through to the 404. */
function delegateTo(routers: readonly express.Router[]): RouteHandler {
  return (req, res, next) => {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== 'route' && err !== 'router') return next(err);
      const r = routers[i++];
      if (!r) return next();
      r(req, res, step);
    };
    step();
  };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // Mounts (management, /ui) match exactly as written, like the route table does.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  const media = delegateTo(deps.apiRouters ?? []);
  const handlers: Partial<Record<RouteId, RouteHandler>> = {
    ...inboundHandlers(deps),
    healthz: (_req, res) => void res.json({ status: 'ok' }),
    root: (_req, res) =>
      void res.json({
        name: 'Switchyard',
        endpoints: ['POST /v1/chat/completions', 'POST /v1/responses', 'POST /v1/messages', 'POST /v1beta/models/{model}:generateContent', 'GET /v1/models'],
      }),
    'openai-embeddings': media,
    'openai-responses-websocket': media,
    'openai-image-generations': media,
    'openai-image-edits': media,
    'gemini-embed': media,
    'gemini-batch-embed': media,
  };

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    const s = deps.settings();
    const refusal = checkHostAndOrigin(req, s);
    if (refusal) {
      deps.logger.warn('refused by host/origin guard', { path: req.path.slice(0, 256), reason: refusal.slice(0, 300) });
      return sendWireError(res, protocolForRequest(req, deps.protocols), { status: 403, kind: 'permission', code: 'permission_denied', message: refusal });
    }
    if (answerCors(req, res, s.allowedOrigins)) return;
    next();
  });

  // The model API: the route table decides what a path is, who may call it and how errors look.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const match = matchRoute(req.method, req.path);
    if (!match) return next();
    res.locals.route = match;
    const protocol = deps.protocols[match.spec.wire];
    if (match.spec.access !== 'public') {
      const keys = deps.settings().apiKeys;
      if (keys.length > 0) {
        const presented = presentedClientKey(req);
        if (!presented) {
          return sendWireError(res, protocol, { status: 401, kind: 'authentication', code: 'invalid_api_key', message: 'Missing API key. Send it as Authorization: Bearer <key>.' });
        }
        const idx = matchClientKey(presented, keys);
        if (idx < 0) return sendWireError(res, protocol, { status: 401, kind: 'authentication', code: 'invalid_api_key', message: 'Invalid API key.' });
        res.locals.clientKeyLabel = clientKeyLabel(keys, idx);
      }
    }
    if (match.badModelEncoding) return sendWireError(res, protocol, { status: 400, kind: 'invalid_request', message: 'The model name in the path is not valid percent-encoding.' });
    if (match.model !== undefined && match.model.length > MAX_MODEL_NAME_LENGTH) {
      return sendWireError(res, protocol, { status: 400, kind: 'invalid_request', message: `The model name is ${match.model.length} characters long; the limit is ${MAX_MODEL_NAME_LENGTH}.` });
    }
    const handler = handlers[match.spec.id];
    if (!handler) return next();
    return handler(req, res, next, match);
  });

  for (const m of deps.mounts ?? []) app.use(m.path, m.router);

  app.use((req: Request, res: Response) => {
    sendWireError(res, protocolForRequest(req, deps.protocols), {
      status: 404,
      kind: 'not_found',
      code: 'not_found',
      message: `No route for ${req.method} ${req.path.slice(0, 256)}${req.path.length > 256 ? '…' : ''}.`,
    });
  });

  // Body parser failures (size, encoding) and anything thrown by a handler.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    const protocol = protocolForRequest(req, deps.protocols);
    if (status >= 500) deps.logger.error('request failed', { path: req.path.slice(0, 256), error: e.message });
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
