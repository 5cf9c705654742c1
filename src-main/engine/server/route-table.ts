import type { ProtocolId } from '../protocols/protocol';

/**
 * The one table of model-API routes. Matching, authentication and the error format of a request
 * are all decided from the entry that will handle it — there is no second parser of the path.
 * Paths match case-sensitively and exactly as DESIGN.md §3 lists them (no trailing slash, no
 * `//`, no percent-encoded separators): anything else is not a route and gets a 404.
 *
 * The table is plain data plus a pure matcher so a lean `node:http` fast path for the hot POST
 * routes can be driven from it later without Express.
 */

/** `public` routes need no client key; every other route does. There is no third kind. */
export type RouteAccess = 'public' | 'client-key';

export type RouteId =
  | 'healthz'
  | 'root'
  | 'openai-chat'
  | 'openai-completions'
  | 'openai-responses'
  | 'openai-responses-websocket'
  | 'claude-messages'
  | 'claude-count-tokens'
  | 'models'
  | 'openai-embeddings'
  | 'openai-image-generations'
  | 'openai-image-edits'
  | 'gemini-models'
  | 'gemini-model'
  | 'gemini-generate'
  | 'gemini-stream-generate'
  | 'gemini-count-tokens'
  | 'gemini-embed'
  | 'gemini-batch-embed'
  | 'ollama-chat'
  | 'ollama-generate'
  | 'ollama-tags'
  | 'ollama-show'
  | 'ollama-version';

export interface RouteSpec {
  id: RouteId;
  method: 'GET' | 'POST';
  /** As documented; `{model}` is one or more path segments, `:action` a literal suffix. */
  path: string;
  access: RouteAccess;
  /** Wire format of the answers, errors included. */
  wire: ProtocolId;
  /** Hot POST route with a JSON body: a candidate for the node:http fast path. */
  hot?: boolean;
}

export const ROUTES: readonly RouteSpec[] = [
  { id: 'healthz', method: 'GET', path: '/healthz', access: 'public', wire: 'openai-chat' },
  { id: 'root', method: 'GET', path: '/', access: 'public', wire: 'openai-chat' },
  { id: 'openai-chat', method: 'POST', path: '/v1/chat/completions', access: 'client-key', wire: 'openai-chat', hot: true },
  { id: 'openai-completions', method: 'POST', path: '/v1/completions', access: 'client-key', wire: 'openai-chat', hot: true },
  { id: 'openai-responses', method: 'POST', path: '/v1/responses', access: 'client-key', wire: 'openai-responses', hot: true },
  // Responses over WebSocket (Codex's built-in provider): the upgrade request, authorised like any other.
  { id: 'openai-responses-websocket', method: 'GET', path: '/v1/responses', access: 'client-key', wire: 'openai-responses' },
  { id: 'claude-messages', method: 'POST', path: '/v1/messages', access: 'client-key', wire: 'claude-messages', hot: true },
  { id: 'claude-count-tokens', method: 'POST', path: '/v1/messages/count_tokens', access: 'client-key', wire: 'claude-messages', hot: true },
  { id: 'models', method: 'GET', path: '/v1/models', access: 'client-key', wire: 'openai-chat' },
  { id: 'openai-embeddings', method: 'POST', path: '/v1/embeddings', access: 'client-key', wire: 'openai-chat' },
  { id: 'openai-image-generations', method: 'POST', path: '/v1/images/generations', access: 'client-key', wire: 'openai-chat' },
  { id: 'openai-image-edits', method: 'POST', path: '/v1/images/edits', access: 'client-key', wire: 'openai-chat' },
  { id: 'gemini-models', method: 'GET', path: '/v1beta/models', access: 'client-key', wire: 'gemini' },
  { id: 'gemini-model', method: 'GET', path: '/v1beta/models/{model}', access: 'client-key', wire: 'gemini' },
  { id: 'gemini-generate', method: 'POST', path: '/v1beta/models/{model}:generateContent', access: 'client-key', wire: 'gemini', hot: true },
  { id: 'gemini-stream-generate', method: 'POST', path: '/v1beta/models/{model}:streamGenerateContent', access: 'client-key', wire: 'gemini', hot: true },
  { id: 'gemini-count-tokens', method: 'POST', path: '/v1beta/models/{model}:countTokens', access: 'client-key', wire: 'gemini', hot: true },
  { id: 'gemini-embed', method: 'POST', path: '/v1beta/models/{model}:embedContent', access: 'client-key', wire: 'gemini' },
  { id: 'gemini-batch-embed', method: 'POST', path: '/v1beta/models/{model}:batchEmbedContents', access: 'client-key', wire: 'gemini' },
  // Ollama's native API (model in the body; NDJSON streams).
  { id: 'ollama-chat', method: 'POST', path: '/api/chat', access: 'client-key', wire: 'ollama', hot: true },
  { id: 'ollama-generate', method: 'POST', path: '/api/generate', access: 'client-key', wire: 'ollama', hot: true },
  { id: 'ollama-tags', method: 'GET', path: '/api/tags', access: 'client-key', wire: 'ollama' },
  { id: 'ollama-show', method: 'POST', path: '/api/show', access: 'client-key', wire: 'ollama' },
  { id: 'ollama-version', method: 'GET', path: '/api/version', access: 'client-key', wire: 'ollama' },
];

export interface RouteMatch {
  spec: RouteSpec;
  /** The `{model}` part, percent-decoded; undefined when the route has none. */
  model?: string;
  /** `{model}` could not be percent-decoded (the handler answers 400). */
  badModelEncoding?: boolean;
}

interface CompiledRoute {
  spec: RouteSpec;
  /** Exact path, or prefix + suffix around `{model}`. */
  exact?: string;
  prefix?: string;
  suffix?: string;
}

function compile(spec: RouteSpec): CompiledRoute {
  const i = spec.path.indexOf('{model}');
  if (i < 0) return { spec, exact: spec.path };
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
    return hit ? { spec: hit.spec } : undefined;
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

/**
 * The wire format to answer in when no route matched (404, host refusals): a guess from the
 * path, case-insensitive because it only picks the shape of an error, never grants anything.
 */
export function wireForUnmatchedPath(pathname: string): ProtocolId {
  const p = pathname.toLowerCase();
  if (p.startsWith('/v1beta')) return 'gemini';
  if (p.startsWith('/v1/messages')) return 'claude-messages';
  if (p.startsWith('/v1/responses')) return 'openai-responses';
  if (p.startsWith('/api/')) return 'ollama';
  return 'openai-chat';
}
