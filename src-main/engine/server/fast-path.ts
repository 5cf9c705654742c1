import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { InboundRoutes } from './inbound-routes';
import { matchRoute } from './route-table';
import { answerAtEdge, answerAtGate, answerFailure, type GateDeps } from './request-gate';
import { readBody } from './read-body';
import { simplePathname, type EdgeResponse } from './request-target';

export { simplePathname };

/**
 * A lean `node:http` path in front of Express for the hot model routes (the route table's
 * `hot: true` POST entries). Express's router walks its middleware stack, builds `next`
 * closures and runs the body parser's content negotiation on every request; the model
 * traffic needs none of that. For a hot route this path does, in order, exactly what the
 * Express app does — request id, host/origin guard, CORS, route-table match, client key,
 * body under the live limit, one JSON parse — and calls the same body step the Express route
 * calls, so status codes, headers and error bodies are the same. Nothing here uses Express's
 * request/response helpers, so the request and response stay Node's own objects (Express
 * would re-prototype both and add its properties on every request); answers go out through
 * json-response.ts and the pipeline's sink. Anything else falls through to Express untouched.
 */

export interface FastPathDeps extends GateDeps {
  routes: InboundRoutes;
}

/** The part of an Express app this path uses (not in Express's public types). */
interface AppInternals {
  handle(req: IncomingMessage, res: ServerResponse, next?: unknown): void;
}

/** Put the fast path in front of the app's router: `app(req, res)` tries it first. */
export function installFastPath(app: Express, deps: FastPathDeps): void {
  const internals = app as unknown as AppInternals;
  const viaRouter = internals.handle.bind(app);
  internals.handle = (req, res, next) => {
    if (!serveHot(req, res, deps)) viaRouter(req, res, next);
  };
}

/** Serves a hot route and returns true; false (nothing done) for every other request. */
function serveHot(req: IncomingMessage, rawRes: ServerResponse, deps: FastPathDeps): boolean {
  if (req.method !== 'POST') return false;
  const pathname = simplePathname(req.url);
  if (pathname === undefined) return false;
  const match = matchRoute('POST', pathname);
  if (!match?.spec.hot) return false;
  const route = deps.routes.bodyRoute(match.spec.id);
  if (!route) return false;
  // Compressed bodies are rare on these routes: Express's parser inflates them.
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;

  // Where the gate leaves the request id, route and client key label (Express's res.locals).
  const res = rawRes as EdgeResponse;
  res.locals = Object.create(null) as Record<string, unknown>;
  try {
    const settings = deps.settings();
    if (answerAtEdge(req, res, deps, settings) || answerAtGate(req, res, match, deps, settings)) return true;
    const then = route(req, res, match);
    readBody(req, deps.bodyLimitBytes(), (err, body) => {
      if (err) return answerFailure(err, req, res, deps);
      then(body ?? Buffer.alloc(0)).catch((e: unknown) => answerFailure(e, req, res, deps));
    });
  } catch (err) {
    answerFailure(err, req, res, deps);
  }
  return true;
}
