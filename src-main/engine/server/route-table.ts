import { protocols, type Protocol, type ProtocolId, type ProtocolRoute, type RouteAccess } from '../protocols';

/**
 * The one table of model-API routes. Matching, authentication and the error format of a request
 * are all decided from the entry that will handle it — there is no second parser of the path.
 * Paths match case-sensitively and exactly as DESIGN.md §3 lists them (no trailing slash, no
 * `//`, no percent-encoded separators): anything else is not a route and gets a 404.
 *
 * The table is plain data plus a pure matcher, built from the wire formats' registrations, so
 * the lean `node:http` fast path for the hot POST routes is driven from it without Express.
 */

export type { RouteAccess };

/** Route ids are unique across formats (each format's module names its own). */
export type RouteId = string;

/** One entry of the table: a format's route plus the format its answers (errors included) use. */
export interface RouteSpec extends ProtocolRoute {
  wire: ProtocolId;
}

/** Switchyard's own public routes; everything else comes from the wire formats' modules. */
const SERVER_ROUTES: readonly RouteSpec[] = [
  { id: 'healthz', method: 'GET', path: '/healthz', access: 'public', wire: 'openai-chat', handler: { kind: 'endpoint', answer: () => ({ json: { status: 'ok' } }) } },
  {
    id: 'root',
    method: 'GET',
    path: '/',
    access: 'public',
    wire: 'openai-chat',
    handler: {
      kind: 'endpoint',
      answer: () => ({
        json: {
          name: 'Switchyard',
          endpoints: ['POST /v1/chat/completions', 'POST /v1/responses', 'POST /v1/messages', 'POST /v1beta/models/{model}:generateContent', 'GET /v1/models'],
        },
      }),
    },
  },
];

const registered = Object.values(protocols) as Protocol[];

export const ROUTES: readonly RouteSpec[] = [...SERVER_ROUTES, ...registered.flatMap((p) => (p.routes ?? []).map((r) => ({ ...r, wire: p.id })))];

// Two formats claiming one id or one method and path is a programming error: fail at load.
for (const [i, r] of ROUTES.entries()) {
  const clash = ROUTES.findIndex((o) => o.id === r.id || (o.method === r.method && o.path === r.path));
  if (clash !== i) throw new Error(`route ${r.id} (${r.method} ${r.path}) clashes with ${ROUTES[clash].id}`);
}

export interface RouteMatch {
  spec: RouteSpec;
  /** The `{model}` part, percent-decoded; undefined when the route has none. */
  model?: string;
  /** `{model}` could not be percent-decoded (the handler answers 400). */
  badModelEncoding?: boolean;
}

interface CompiledRoute {
  spec: RouteSpec;
  /** The match of an exact path, made once (frozen: every request of that route shares it). */
  match?: RouteMatch;
  /** Exact path, or prefix + suffix around `{model}`. */
  exact?: string;
  prefix?: string;
  suffix?: string;
}

function compile(spec: RouteSpec): CompiledRoute {
  const i = spec.path.indexOf('{model}');
  if (i < 0) return { spec, exact: spec.path, match: Object.freeze({ spec }) };
  return { spec, prefix: spec.path.slice(0, i), suffix: spec.path.slice(i + '{model}'.length) };
}

const COMPILED = ROUTES.map(compile);
const EXACT = new Map<string, CompiledRoute[]>();
for (const c of COMPILED) if (c.exact !== undefined) EXACT.set(c.exact, [...(EXACT.get(c.exact) ?? []), c]);
// Longest suffix first, so `:streamGenerateContent` is never read as a model named `…:stream…`.
const PATTERNS = COMPILED.filter((c) => c.exact === undefined).sort((a, b) => (b.suffix ?? '').length - (a.suffix ?? '').length);

function methodMatches(spec: RouteSpec, method: string): boolean {
  return spec.method === method || (spec.method === 'GET' && method === 'HEAD');
}

/** Raw `{model}` text: non-empty, no empty/dot segments, no `:` for plain GETs. */
function modelOk(raw: string, route: CompiledRoute): boolean {
  if (!raw) return false;
  for (const seg of raw.split('/')) if (seg === '' || seg === '.' || seg === '..') return false;
  return route.suffix !== '' || !raw.includes(':');
}

/** The route for a method and a raw (not yet percent-decoded) pathname, or undefined. */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const exact = EXACT.get(pathname);
  if (exact) {
    const hit = exact.find((c) => methodMatches(c.spec, method));
    return hit?.match;
  }
  for (const c of PATTERNS) {
    const prefix = c.prefix ?? '';
    const suffix = c.suffix ?? '';
    if (!methodMatches(c.spec, method)) continue;
    if (!pathname.startsWith(prefix) || !pathname.endsWith(suffix) || pathname.length <= prefix.length + suffix.length) continue;
    const raw = pathname.slice(prefix.length, pathname.length - suffix.length);
    if (!modelOk(raw, c)) continue;
    try {
      return { spec: c.spec, model: decodeURIComponent(raw) };
    } catch {
      return { spec: c.spec, model: raw, badModelEncoding: true };
    }
  }
  return undefined;
}

/** Every format's error-path prefixes, longest first. */
const ERROR_PREFIXES: ReadonlyArray<readonly [string, ProtocolId]> = registered
  .flatMap((p) => (p.errorPaths ?? []).map((prefix) => [prefix, p.id] as const))
  .sort((a, b) => b[0].length - a[0].length);

/**
 * The wire format to answer in when no route matched (404, host refusals): a guess from the
 * path, case-insensitive because it only picks the shape of an error, never grants anything.
 */
export function wireForUnmatchedPath(pathname: string): ProtocolId {
  const p = pathname.toLowerCase();
  for (const [prefix, wire] of ERROR_PREFIXES) if (p.startsWith(prefix)) return wire;
  return 'openai-chat';
}
