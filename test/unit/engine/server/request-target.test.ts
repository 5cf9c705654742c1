import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { pathOf, queryParam } from '../../../../src-main/engine/server/request-target';

/** The lean path reads path and query from Node's own request the way Express's getters do. */
const plain = (url: string) => ({ url, headers: {} }) as unknown as IncomingMessage;

describe('path and query of a request Express did not set up', () => {
  it('reads the path before the query', () => {
    expect(pathOf(plain('/v1beta/models/m:generateContent?key=a'))).toBe('/v1beta/models/m:generateContent');
  });

  it('reads a query parameter as node:querystring does (Express query parser "simple")', () => {
    const req = plain('/v1beta/models/m:generateContent?alt=sse&key=sk%2Dx+y&key2=&dup=1&dup=2');
    expect(queryParam(req, 'key')).toBe('sk-x y');
    expect(queryParam(req, 'key2')).toBe('');
    expect(queryParam(req, 'dup')).toEqual(['1', '2']);
    expect(queryParam(req, 'auth_token')).toBeUndefined();
    expect(queryParam(req, 'constructor')).toBeUndefined();
    expect(queryParam(plain('/v1/messages'), 'key')).toBeUndefined();
  });

  it('uses Express’s own readers when Express set the request up', () => {
    const req = Object.assign(plain('/x?key=raw'), { path: '/x', query: { key: 'parsed' } });
    expect(pathOf(req)).toBe('/x');
    expect(queryParam(req, 'key')).toBe('parsed');
  });
});
