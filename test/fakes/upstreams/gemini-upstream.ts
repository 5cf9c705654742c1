import type { ServerResponse } from 'node:http';
import {
  type FakeUpstream,
  type FakeUpstreamOptions,
  type RecordedRequest,
  type Scenario,
  type FramedItem,
  headerDelay,
  sendJson,
  split,
  startFake,
  writeFramed,
} from './claude-upstream';

export type { FakeUpstream, FakeUpstreamOptions, RecordedRequest, Scenario, ScenarioStep } from './claude-upstream';

/**
 * A fake Gemini server on 127.0.0.1: `POST /v1beta/models/{model}:generateContent` (and the
 * Vertex spelling `/v1/publishers/google/models/{model}:…`),
 * `:streamGenerateContent` (SSE with `alt=sse`, a JSON array otherwise) and `:countTokens`,
 * plus the Code Assist variants `POST /v1internal:{action}` whose bodies are
 * `{model, project, request}` and whose answers are wrapped as `{response:{…}}`.
 */
export function startGeminiUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const script = opts.script ?? ((): Scenario => ({ steps: [{ type: 'text', text: 'Hello from the fake Gemini.' }] }));
  return startFake(async (rec, res) => {
    if (rec.method === 'GET' && rec.path === '/v1beta/models' && opts.models) return sendGeminiModelList(rec, res, opts.models);
    const route = matchRoute(rec);
    if (!route || rec.method !== 'POST') {
      return sendJson(res, 404, { error: { code: 404, message: `no route ${rec.path}`, status: 'NOT_FOUND' } });
    }
    const scenario = script(rec);
    await headerDelay(scenario);
    if (scenario.error) return sendJson(res, scenario.error.status, scenario.error.body, scenario.error.headers);
    const wrap = (v: unknown) => (route.codeAssist ? { response: v, traceId: 'fake-trace' } : v);
    const model = scenario.model ?? route.model;
    switch (route.action) {
      case 'countTokens':
        return sendJson(res, 200, wrap({ totalTokens: scenario.usage?.input ?? Math.ceil(rec.rawBody.length / 4) }));
      case 'generateContent':
        return sendJson(res, 200, wrap(geminiResponse(scenario, model)), scenario.headers);
      case 'streamGenerateContent': {
        const items = geminiChunks(scenario, model);
        if (route.codeAssist || rec.query.get('alt') === 'sse') {
          const framed: FramedItem[] = [];
          items.forEach((c, i) => {
            if (isPause(c)) return framed.push(c);
            if (scenario.framing?.pings && i > 0) framed.push(': keep-alive\n\n');
            framed.push(`data: ${JSON.stringify(wrap(c))}\n\n`);
          });
          return writeFramed(res, framed, scenario);
        }
        return writeArray(res, items.filter((c) => !isPause(c)).map(wrap));
      }
      default:
        return sendJson(res, 404, { error: { code: 404, message: `unknown action ${route.action}`, status: 'NOT_FOUND' } });
    }
  });
}

/** `GET /v1beta/models` as Google answers it: paged by `pageSize` (default 50) / `pageToken`; 403 without a key. */
function sendGeminiModelList(rec: RecordedRequest, res: ServerResponse, ids: readonly string[]): void {
  if (!rec.headers['x-goog-api-key'] && !rec.query.get('key')) {
    return sendJson(res, 403, { error: { code: 403, message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", status: 'PERMISSION_DENIED' } });
  }
  const size = Math.min(1000, Math.max(1, Number(rec.query.get('pageSize') ?? 50) || 50));
  const start = Number(rec.query.get('pageToken') ?? 0) || 0;
  const models = ids.slice(start, start + size).map((id) => ({
    name: `models/${id}`,
    version: '001',
    displayName: id,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
    thinking: true,
  }));
  sendJson(res, 200, start + size < ids.length ? { models, nextPageToken: String(start + size) } : { models });
}

function matchRoute(rec: RecordedRequest): { action: string; model: string; codeAssist: boolean } | undefined {
  // Gemini API (`/v1beta/models/…`) and Vertex (`/v1/publishers/google/models/…`, optionally under
  // `/projects/{p}/locations/{l}`) address a model the same way after the prefix.
  const direct = /^\/v1(?:beta|alpha|beta1)?(?:\/projects\/[^/]+\/locations\/[^/]+)?(?:\/publishers\/google)?\/models\/([^/:]+):([A-Za-z]+)$/.exec(rec.path);
  if (direct) return { model: decodeURIComponent(direct[1]), action: direct[2], codeAssist: false };
  const internal = /^\/v1internal:([A-Za-z]+)$/.exec(rec.path);
  if (internal) {
    const body = (rec.body ?? {}) as { model?: string };
    return { model: body.model ?? 'gemini-fake', action: internal[1], codeAssist: true };
  }
  return undefined;
}

function usageMetadata(s: Scenario): Record<string, number> {
  const u = s.usage ?? {};
  const prompt = u.input ?? 10;
  const out = u.output ?? 5;
  const meta: Record<string, number> = { promptTokenCount: prompt, candidatesTokenCount: out, totalTokenCount: prompt + out + (u.thoughts ?? 0) };
  if (u.thoughts !== undefined) meta.thoughtsTokenCount = u.thoughts;
  if (u.cacheRead !== undefined) meta.cachedContentTokenCount = u.cacheRead;
  return meta;
}

type Part = Record<string, unknown>;

type Pause = Extract<FramedItem, { pause: unknown }>;
const isPause = (v: unknown): v is Pause => typeof v === 'object' && v !== null && 'pause' in v;

/** Parts grouped per chunk; a pause step becomes a Pause marker between chunks. */
function stepParts(s: Scenario, stream: boolean): Array<Part[] | Pause> {
  const groups: Array<Part[] | Pause> = [];
  for (const st of s.steps ?? []) {
    switch (st.type) {
      case 'pause':
        if (stream) groups.push({ pause: st });
        break;
      case 'text':
        for (const piece of stream ? split(st.text, st.chunks) : [st.text]) groups.push([{ text: piece }]);
        break;
      case 'thinking': {
        const pieces = stream ? split(st.text, st.chunks) : [st.text];
        pieces.forEach((piece, i) => {
          const part: Part = { text: piece, thought: true };
          if (st.signature && i === pieces.length - 1) part.thoughtSignature = st.signature;
          groups.push([part]);
        });
        break;
      }
      case 'redacted':
        break;
      case 'tool': {
        const part: Part = { functionCall: { name: st.name, args: JSON.parse(st.args || '{}') as unknown } };
        if (st.id) (part.functionCall as Part).id = st.id;
        if (st.thoughtSignature) part.thoughtSignature = st.thoughtSignature;
        const last = groups[groups.length - 1];
        if (s.toolsInOneChunk && Array.isArray(last) && last.every((p) => p.functionCall)) last.push(part);
        else groups.push([part]);
        break;
      }
      case 'image':
        groups.push([{ inlineData: { mimeType: st.mimeType, data: st.data } }]);
        break;
    }
  }
  return groups;
}

function envelope(s: Scenario, model: string, parts: Part[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }],
    modelVersion: model,
    responseId: s.id ?? 'resp_fake_1',
  };
}

export function geminiResponse(s: Scenario, model: string): Record<string, unknown> {
  const parts = stepParts(s, false).flatMap((g) => (Array.isArray(g) ? g : []));
  return { ...envelope(s, model, parts, { finishReason: s.stopReason ?? 'STOP' }), usageMetadata: usageMetadata(s) };
}

/**
 * Stream chunks as Gemini sends them: prompt usage on every chunk, full usage and finishReason
 * on the last one. `midStreamError.afterStep` counts chunks.
 */
export function geminiChunks(s: Scenario, model: string): Array<unknown | Pause> {
  const groups = stepParts(s, true);
  const usage = usageMetadata(s);
  const out: Array<unknown | Pause> = [];
  let chunk = 0;
  for (const parts of groups) {
    if (!Array.isArray(parts)) {
      out.push(parts);
      continue;
    }
    if (s.midStreamError && chunk >= s.midStreamError.afterStep) break;
    chunk++;
    out.push({ ...envelope(s, model, parts), usageMetadata: { promptTokenCount: usage.promptTokenCount } });
  }
  if (s.midStreamError) {
    const e = s.midStreamError;
    out.push({ error: { code: e.code ?? 503, message: e.message, status: e.status ?? 'UNAVAILABLE' } });
    return out;
  }
  if (s.omitFinish) return out;
  const finish = envelope(s, model, [{ text: '' }], { finishReason: s.stopReason ?? 'STOP' });
  if (s.usageInSeparateChunk) {
    out.push(finish, { usageMetadata: usage, modelVersion: model, responseId: s.id ?? 'resp_fake_1' });
  } else out.push({ ...finish, usageMetadata: usage });
  return out;
}

/** streamGenerateContent without alt=sse answers one JSON array, written element by element. */
async function writeArray(res: ServerResponse, chunks: unknown[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('[');
  chunks.forEach((c, i) => res.write(`${i ? ',\r\n' : ''}${JSON.stringify(c)}`));
  res.end(']');
}
