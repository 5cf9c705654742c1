import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { inboundRoutes, sendWireError, type InboundDeps, type RouteHandler } from './inbound-routes';
import { matchRoute } from './route-table';
import { answerAtEdge, answerAtGate, answerFailure, protocolForRequest, type GateDeps } from './request-gate';
import { installFastPath } from './fast-path';

export { protocolForRequest };

export interface AppDeps extends InboundDeps, GateDeps {
  /** Handlers of the media routes (embeddings, images), reached only through their route-table entries. */
  apiRouters?: express.Router[];
  /** Extra routers mounted before the API (management, UI, OAuth callbacks). */
  mounts?: Array<{ path: string; router: express.Router }>;
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

  const routes = inboundRoutes(deps, delegateTo(deps.apiRouters ?? []));

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!answerAtEdge(req, res, deps)) next();
  });

  // The model API: the route table decides what a path is, who may call it and how errors look.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const match = matchRoute(req.method, req.path);
    if (!match) return next();
    if (answerAtGate(req, res, match, deps)) return;
    const handler = routes.handler(match.spec.id);
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
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => answerFailure(err, req, res, deps));

  // The hot model routes skip Express's router and middleware (see fast-path.ts).
  installFastPath(app, { ...deps, routes });

  return app;
}
