import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Request } from 'express';

/**
 * The request and response as the edge code sees them, on both paths: Node's own objects on the
 * lean path, Express's (the same objects with its helpers mixed in) on the Express path. The edge
 * reads and writes only what both have; path and query come through the readers below.
 */
export type EdgeRequest = IncomingMessage;
/** Per-request values the gate hands to the handlers (`res.locals`, as Express names it). */
export type EdgeResponse = ServerResponse & { locals: Record<string, unknown> };

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

/** Express's `req.path` when Express set the request up, else the lean path's simple target's path. */
export function pathOf(req: EdgeRequest): string {
  return (req as Partial<Request>).path ?? simplePathname(req.url) ?? '/';
}

/**
 * One query parameter as Express's `req.query` (query parser "simple": node:querystring) reads
 * it; on the lean path the target is simple, so the query is what follows the first `?`.
 */
export function queryParam(req: EdgeRequest, name: string): unknown {
  const viaExpress = (req as Partial<Request>).query;
  if (viaExpress) return (viaExpress as Record<string, unknown>)[name];
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  return parseQuery(url.slice(q + 1))[name];
}
