import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Protocol, ProtocolId, RouteHandlerSpec, WireError } from '../protocols';
import { runGenerate, type PipelineDeps } from '../pipeline/generate';
import { ClientSink } from '../pipeline/sink';
import { listedModels } from './model-lists';
import { runCountTokens } from '../pipeline/count-tokens';
import { ROUTES, type RouteMatch, type RouteSpec } from './route-table';
import { checkModelName, jsonObjectFromBytes, liveRawBody } from './client-input';
import { writeJson } from './json-response';
import type { EdgeRequest, EdgeResponse } from './request-target';

export interface InboundDeps {
  pipeline: () => PipelineDeps;
  protocols: Record<ProtocolId, Protocol>;
  bodyLimitBytes: () => number;
}

/** A handler for one route-table entry; the match carries the path's `{model}`. */
export type RouteHandler = (req: Request, res: Response, next: NextFunction, match: RouteMatch) => unknown;

/**
 * A route that reads a JSON body, in two steps: called when the request arrives (per-request
 * state such as a codec's clock starts here), then with the body bytes once they are in. The
 * Express route and the lean fast path both read the body and then call the same second step.
 */
export type BodyRoute = (req: EdgeRequest, res: EdgeResponse, match: RouteMatch) => (raw: Buffer) => Promise<unknown>;

function isError(v: unknown): v is WireError {
  return typeof v === 'object' && v !== null && 'status' in v && 'message' in v;
}

/** An error in the route's format; a POST's answer is written directly (json-response.ts), the rest by Express. */
export function sendWireError(res: ServerResponse, protocol: Protocol, err: WireError & { retryAfterSeconds?: number }): void {
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
  const body = protocol.encodeError(err);
  if (res.req.method === 'POST') writeJson(res, err.status, JSON.stringify(body) as string | undefined);
  else (res as Response).status(err.status).json(body);
}

/** The handlers of every route in the table, built from each route's declared kind. */
export interface InboundRoutes {
  /** The Express handler of a route (undefined: not answered here, the request falls through). */
  handler(id: string): RouteHandler | undefined;
  /** The body step of a route with a JSON body (the fast path serves only these). */
  bodyRoute(id: string): BodyRoute | undefined;
}

export function inboundRoutes(deps: InboundDeps, delegated: RouteHandler): InboundRoutes {
  const readBody = liveRawBody(deps.bodyLimitBytes);
  const models = () => listedModels(deps.pipeline().routing.listModels());
  const handlers = new Map<string, RouteHandler>();
  const bodyRoutes = new Map<string, BodyRoute>();

  /** Express side of a body route: read the body (live limit), then its body step; errors go to the error handler. */
  const viaExpress =
    (route: BodyRoute): RouteHandler =>
    (req, res, next, match) => {
      const then = route(req, res, match);
      readBody(req, res, (err?: unknown) => {
        if (err) return next(err);
        then(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)).catch(next);
      });
    };

  for (const spec of ROUTES) {
    const owner = deps.protocols[spec.wire];
    const body = bodyRouteFor(spec, spec.handler, owner, deps, models);
    if (body) {
      bodyRoutes.set(spec.id, body);
      handlers.set(spec.id, viaExpress(body));
      continue;
    }
    const h = spec.handler;
    if (h.kind === 'delegated') handlers.set(spec.id, delegated);
    else if (h.kind === 'models') handlers.set(spec.id, (req, res) => void res.json(h.render(models(), req.headers)));
    else if (h.kind === 'endpoint') {
      handlers.set(spec.id, (_req, res, _next, match) => {
        const answer = h.answer({ model: match.model, models });
        if ('error' in answer) return sendWireError(res, owner, answer.error);
        res.json(answer.json);
      });
    }
  }
  return { handler: (id) => handlers.get(id), bodyRoute: (id) => bodyRoutes.get(id) };
}

/** The body step of a route that reads a JSON body; undefined for the others. */
function bodyRouteFor(spec: RouteSpec, h: RouteHandlerSpec, owner: Protocol, deps: InboundDeps, models: () => ReturnType<typeof listedModels>): BodyRoute | undefined {
  if (h.kind === 'generate') {
    const allowPassthrough = h.passthrough ?? true;
    return (req, res, match) => {
      const protocol = h.protocol?.() ?? owner;
      return async (raw) => {
        const parsed = jsonObjectFromBytes(raw);
        if (isError(parsed)) return sendWireError(res, protocol, parsed);
        const checked = checkModelName(match.model ?? parsed.body.model);
        if (isError(checked)) return sendWireError(res, protocol, checked);
        await runGenerate(
          {
            requestId: String(res.locals.requestId ?? randomUUID()),
            inbound: protocol,
            sink: new ClientSink(res, protocol),
            rawBody: parsed.raw,
            body: parsed.body,
            model: checked.model,
            bodyModel: typeof parsed.body.model === 'string' ? parsed.body.model : undefined,
            stream: h.stream(parsed.body),
            operation: 'generate',
            clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
            headers: req.headers,
            allowPassthrough,
          },
          deps.pipeline(),
        );
      };
    };
  }
  if (h.kind === 'count-tokens') {
    const codec = owner.countTokens;
    if (!codec) throw new Error(`route ${spec.id}: ${owner.id} has no countTokens codec`);
    return (_req, res, match) => async (raw) => {
      const parsed = jsonObjectFromBytes(raw);
      if (isError(parsed)) return sendWireError(res, owner, parsed);
      const checked = checkModelName(match.model ?? parsed.body.model);
      if (isError(checked)) return sendWireError(res, owner, checked);
      return runCountTokens({ inbound: owner, codec, body: parsed.body, model: checked.model, sink: new ClientSink(res, owner) }, deps.pipeline());
    };
  }
  if (h.kind === 'endpoint' && h.body) {
    const modelField = h.body.model;
    return (_req, res, match) => async (raw) => {
      const parsed = jsonObjectFromBytes(raw);
      const checked = isError(parsed) ? parsed : checkModelName(modelField(parsed.body));
      if (isError(checked)) return sendWireError(res, owner, checked);
      const answer = h.answer({ model: match.model ?? checked.model, body: isError(parsed) ? undefined : parsed.body, models });
      if ('error' in answer) return sendWireError(res, owner, answer.error);
      writeJson(res, 200, JSON.stringify(answer.json) as string | undefined);
    };
  }
  return undefined;
}
