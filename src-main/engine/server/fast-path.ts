import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { InboundRoutes } from './inbound-routes';
import { matchRoute } from './route-table';
import { answerAtEdge, answerAtGate, answerFailure, type GateDeps } from './request-gate';
import { readBody } from './read-body';

/**
 * A lean `node:http` path in front of Express for the hot model routes (the route table's
 * `hot: true` POST entries). Express's router walks its middleware stack, builds `next`
 * closures and runs the body parser's content negotiation on every request; the model
 * traffic needs none of that. For a hot route this path does, in order, exactly what the
 * Express app does — request id, host/origin guard, CORS, route-table match, client key,
 * body under the live limit, one JSON parse — and calls the same body step the Express route
 * calls, so status codes, headers and error bodies are the same. Responses keep Express's
 * response helpers (the pipeline answers with `res.status().json()`), set up the way Express
 * itself does per request. Anything else falls through to Express untouched.
 */

export interface FastPathDeps extends GateDeps {
  routes: InboundRoutes;
}

/** The parts of an Express app this path uses (not in Express's public types). */
interface AppInternals {
  handle(req: IncomingMessage, res: ServerResponse, next?: unknown): void;
  request: object;
  response: object;
}

/**
 * The path of a request-target Express would read the same way (`parseurl`'s fast case): an
 * origin-form target without whitespace or `#`. Undefined sends the request to Express.
 */
export function simplePathname(url: string | undefined): string | undefined {
  if (!url || url.charCodeAt(0) !== 0x2f) return undefined;
  let end = url.length;
  for (let i = 1; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x3f) {
      if (end === url.length) end = i;
    } else if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20 || c === 0x23 || c === 0xa0 || c === 0xfeff) return undefined;
  }
  return end === url.length ? url : url.slice(0, end);
}

/** Put the fast path in front of the app's router: `app(req, res)` tries it first. */
export function installFastPath(app: Express, deps: FastPathDeps): void {
  const internals = app as unknown as AppInternals;
  const viaRouter = internals.handle.bind(app);
  internals.handle = (req, res, next) => {
    if (!serveHot(internals, req, res, deps)) viaRouter(req, res, next);
  };
}

/** Serves a hot route and returns true; false (nothing done) for every other request. */
function serveHot(app: AppInternals, rawReq: IncomingMessage, rawRes: ServerResponse, deps: FastPathDeps): boolean {
  if (rawReq.method !== 'POST') return false;
  const pathname = simplePathname(rawReq.url);
  if (pathname === undefined) return false;
  const match = matchRoute('POST', pathname);
  if (!match?.spec.hot) return false;
  const route = deps.routes.bodyRoute(match.spec.id);
  if (!route) return false;
  // Compressed bodies are rare on these routes: Express's parser inflates them.
  const encoding = rawReq.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;

  // What Express's app.handle does before its router: the request and response helpers.
  const req = rawReq as Request;
  const res = rawRes as Response;
  req.res = res;
  res.req = req;
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  res.locals ??= Object.create(null) as Response['locals'];
  req.originalUrl ??= req.url;
  req.baseUrl = '';

  try {
    if (answerAtEdge(req, res, deps) || answerAtGate(req, res, match, deps)) return true;
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
