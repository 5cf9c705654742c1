import { randomUUID } from 'node:crypto';
import type { Protocol, ProtocolId } from '../protocols';
import type { Logger } from '../log/logger';
import { checkHostAndOrigin } from './host-guard';
import { answerCors } from './cors';
import { clientKeyLabel, matchClientKey, presentedClientKey } from './client-auth';
import { sendWireError } from './inbound-routes';
import { matchRoute, wireForUnmatchedPath, type RouteMatch } from './route-table';
import { MAX_MODEL_NAME_LENGTH } from './client-input';
import { pathOf, type EdgeRequest, type EdgeResponse } from './request-target';

/**
 * The checks every request passes before a handler runs, shared by the Express app and the
 * lean fast path so both answer byte for byte alike. They use only what Node's own request and
 * response have (the lean path does not set Express's helpers up).
 */
export interface GateDeps {
  logger: Logger;
  protocols: Record<ProtocolId, Protocol>;
  bodyLimitBytes: () => number;
  /** Live settings read per request (hot reload). */
  settings: () => GateSettings;
}

export interface GateSettings {
  apiKeys: readonly string[];
  allowedOrigins: readonly string[];
  bindHost: string;
  port: number;
  loopbackBind: boolean;
}

/** The wire format errors for this request are written in: its route's, else a guess from the path. */
export function protocolForRequest(req: EdgeRequest, protocols: Record<ProtocolId, Protocol>, res?: EdgeResponse): Protocol {
  const route = (res ?? (req as EdgeRequest & { res?: EdgeResponse }).res)?.locals?.route as RouteMatch | undefined;
  const path = route ? '' : pathOf(req);
  const match = route ?? matchRoute(req.method ?? '', path);
  return protocols[match?.spec.wire ?? wireForUnmatchedPath(path)];
}

/**
 * Request id, host/origin guard, CORS. True when the request has been answered. `s`: the live
 * settings, when the caller has read them for this request already.
 */
export function answerAtEdge(req: EdgeRequest, res: EdgeResponse, deps: GateDeps, s: GateSettings = deps.settings()): boolean {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  const refusal = checkHostAndOrigin(req, s);
  if (refusal) {
    deps.logger.warn('refused by host/origin guard', { path: pathOf(req).slice(0, 256), reason: refusal.slice(0, 300) });
    sendWireError(res, protocolForRequest(req, deps.protocols, res), { status: 403, kind: 'permission', code: 'permission_denied', message: refusal });
    return true;
  }
  return answerCors(req, res, s.allowedOrigins);
}

/**
 * The route table's decision for a matched request: client key (unless public), a decodable
 * and bounded `{model}`. True when the request has been answered (refused).
 */
export function answerAtGate(req: EdgeRequest, res: EdgeResponse, match: RouteMatch, deps: GateDeps, s: GateSettings = deps.settings()): boolean {
  res.locals.route = match;
  const protocol = deps.protocols[match.spec.wire];
  if (match.spec.access !== 'public') {
    const keys = s.apiKeys;
    if (keys.length > 0) {
      const presented = presentedClientKey(req);
      if (!presented) {
        sendWireError(res, protocol, { status: 401, kind: 'authentication', code: 'invalid_api_key', message: 'Missing API key. Send it as Authorization: Bearer <key>.' });
        return true;
      }
      const idx = matchClientKey(presented, keys);
      if (idx < 0) {
        sendWireError(res, protocol, { status: 401, kind: 'authentication', code: 'invalid_api_key', message: 'Invalid API key.' });
        return true;
      }
      res.locals.clientKeyLabel = clientKeyLabel(keys, idx);
    }
  }
  if (match.badModelEncoding) {
    sendWireError(res, protocol, { status: 400, kind: 'invalid_request', message: 'The model name in the path is not valid percent-encoding.' });
    return true;
  }
  if (match.model !== undefined && match.model.length > MAX_MODEL_NAME_LENGTH) {
    sendWireError(res, protocol, { status: 400, kind: 'invalid_request', message: `The model name is ${match.model.length} characters long; the limit is ${MAX_MODEL_NAME_LENGTH}.` });
    return true;
  }
  return false;
}

/** Body reader failures (size, encoding) and anything a handler threw, in the request's format. */
export function answerFailure(err: unknown, req: EdgeRequest, res: EdgeResponse, deps: GateDeps): void {
  const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e.status ?? e.statusCode ?? 500;
  const protocol = protocolForRequest(req, deps.protocols, res);
  if (status >= 500) deps.logger.error('request failed', { path: pathOf(req).slice(0, 256), error: e.message });
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
}
