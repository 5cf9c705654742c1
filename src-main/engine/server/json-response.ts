import type { ServerResponse } from 'node:http';

/**
 * A whole JSON answer to a POST, written with Node's own `writeHead` + `end` (head and body in
 * one write) instead of Express's `res.status().json()` / `res.type('application/json').send()`,
 * which cost a chain of helper calls, content-type parsing and setHeader validations on every
 * model request. The bytes on the wire are Express's, header for header: the headers already
 * set (x-request-id, CORS, Retry-After) first, then `Content-Type: application/json;
 * charset=utf-8` and `Content-Length`, then Node's own (Date, Connection, Keep-Alive); 204/304
 * drop the body and its headers, 205 sends `Content-Length: 0`, as Express's `send` does.
 *
 * Only for requests Express would not answer conditionally: its `send` turns a GET or HEAD
 * with `If-None-Match` into a 304 (`req.fresh`). POST answers never are, so the model routes
 * (all POST) write here on both the lean path and the Express path.
 */

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Express 5's `res.status` check: an integer Node accepts as a status code. */
function checkStatus(status: number): void {
  if (!Number.isInteger(status)) throw new TypeError(`Invalid status code: ${JSON.stringify(status)}. Status code must be an integer.`);
  if (status < 100 || status > 999) throw new RangeError(`Invalid status code: ${JSON.stringify(status)}. Status code must be greater than 99 and less than 1000.`);
}

/** `body`: the JSON text or its bytes; undefined (a value JSON.stringify drops) sends no body, like Express. */
export function writeJson(res: ServerResponse, status: number, body: string | Buffer | undefined): void {
  checkStatus(status);
  if (status === 204 || status === 304) {
    // Express strips these for a body-less status (none of them was set before the answer).
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    res.writeHead(status);
    res.end();
    return;
  }
  if (body === undefined) {
    // No writeHead here: Node's implicit head for an empty end() adds `Content-Length: 0`.
    res.statusCode = status;
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    res.end();
    return;
  }
  if (status === 205) {
    res.removeHeader('Transfer-Encoding');
    res.writeHead(status, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': '0' });
    res.end();
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': String(length) });
  // A HEAD answer carries the headers only (Express calls end() without the body).
  if (res.req?.method === 'HEAD') res.end();
  else res.end(body);
}
