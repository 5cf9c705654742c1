import busboy from 'busboy';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';

/**
 * A fake media upstream on 127.0.0.1: OpenAI `/v1/embeddings`, `/v1/images/generations`,
 * `/v1/images/edits` (multipart, parsed as a stream) and Gemini `:embedContent`,
 * `:batchEmbedContents`, `:generateContent` (image answers) under `/v1beta/models/…` and the
 * Vertex `/v1/publishers/google/models/…` path. It records what it received so tests can
 * check dimensions, batching, image bytes and mime types.
 */

export interface ReceivedFile {
  field: string;
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface ReceivedInline {
  mimeType: string;
  /** Length of the base64 text and the hash of the decoded bytes. */
  base64Length: number;
  sha256: string;
}

export interface MediaRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (image data in Gemini parts replaced by a summary, see `inline`). */
  json?: Record<string, unknown>;
  /** Multipart text fields. */
  fields?: Record<string, string>;
  files?: ReceivedFile[];
  /** Inline images found in a Gemini generateContent body, in order. */
  inline?: ReceivedInline[];
  bodyBytes: number;
}

export interface FailRule {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many calls fail before the rule is used up. */
  times: number;
  /** Only calls whose path contains this. */
  pathIncludes?: string;
}

export interface MediaUpstream {
  url: string;
  requests: MediaRequest[];
  /** Fail the next matching calls. */
  failNext(rule: FailRule): void;
  /** Make `:generateContent` answer with text only (a refusal). */
  refuseImages: boolean;
  close(): Promise<void>;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Deterministic vector: item i, dimension d. */
export function fakeVector(i: number, dims: number): number[] {
  return Array.from({ length: dims }, (_, d) => Math.round((i + 1 + d / 100) * 1000) / 1000);
}

const DEFAULT_DIMS = 8;

export async function startMediaUpstream(): Promise<MediaUpstream> {
  const requests: MediaRequest[] = [];
  const rules: FailRule[] = [];
  const state = { refuseImages: false };

  const server = http.createServer((req, res) => {
    // Model-list reads (GET …/models) are not media calls: this fake has no list.
    if (req.method === 'GET') return sendJson(res, 404, { error: { code: 404, message: 'no model list here', status: 'NOT_FOUND' } });
    const rec: MediaRequest = { method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, headers: req.headers, bodyBytes: 0 };
    requests.push(rec);
    const rule = rules.find((r) => r.times > 0 && (!r.pathIncludes || rec.path.includes(r.pathIncludes)));
    const isMultipart = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    if (isMultipart) {
      readMultipart(req, rec).then(
        () => answer(rec, res, rule),
        (err: Error) => sendJson(res, 400, { error: { message: `bad multipart: ${err.message}` } }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      rec.bodyBytes = raw.length;
      try {
        rec.json = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : undefined;
      } catch {
        return sendJson(res, 400, { error: { message: 'body is not JSON' } });
      }
      if (rec.json) summariseInline(rec);
      answer(rec, res, rule);
    });
  });

  const answer = (rec: MediaRequest, res: http.ServerResponse, rule: FailRule | undefined) => {
    if (rule) {
      rule.times--;
      return sendJson(res, rule.status, rule.body ?? { error: { message: `scripted ${rule.status}`, code: rule.status } }, rule.headers);
    }
    const body = rec.json ?? {};
    if (rec.path.endsWith('/embeddings')) return sendJson(res, 200, openaiEmbeddings(body));
    if (rec.path.endsWith('/images/generations')) return sendJson(res, 200, openaiImages(Number(body.n ?? 1), body.response_format === 'url'));
    if (rec.path.endsWith('/images/edits')) return sendJson(res, 200, openaiImages(Number(rec.fields?.n ?? 1), false));
    const g = /\/models\/([^/:]+):([A-Za-z]+)$/.exec(rec.path);
    if (g) {
      const action = g[2];
      if (action === 'batchEmbedContents') {
        const reqs = (body.requests as Array<{ outputDimensionality?: number; model?: string }>) ?? [];
        if (reqs.length > 100) {
          return sendJson(res, 400, { error: { code: 400, message: '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch', status: 'INVALID_ARGUMENT' } });
        }
        const wrong = reqs.find((r) => r.model !== `models/${decodeURIComponent(g[1]!)}`);
        if (wrong) return sendJson(res, 400, { error: { code: 400, message: `request model ${wrong.model} does not match the URL model`, status: 'INVALID_ARGUMENT' } });
        return sendJson(res, 200, { embeddings: reqs.map((r, i) => ({ values: fakeVector(i, r.outputDimensionality ?? DEFAULT_DIMS) })) });
      }
      if (action === 'embedContent') {
        return sendJson(res, 200, { embedding: { values: fakeVector(0, (body.outputDimensionality as number | undefined) ?? DEFAULT_DIMS) } });
      }
      if (action === 'generateContent') return sendJson(res, 200, geminiImageAnswer(rec, state.refuseImages));
    }
    sendJson(res, 404, { error: { message: `no route ${rec.method} ${rec.path}` } });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (r) => rules.push({ ...r }),
    get refuseImages() {
      return state.refuseImages;
    },
    set refuseImages(v: boolean) {
      state.refuseImages = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function openaiEmbeddings(body: Record<string, unknown>) {
  const input = body.input;
  const items = typeof input === 'string' ? [input] : Array.isArray(input) && typeof input[0] === 'number' ? [input] : ((input as unknown[]) ?? []);
  const dims = (body.dimensions as number | undefined) ?? DEFAULT_DIMS;
  const base64 = body.encoding_format === 'base64';
  return {
    object: 'list',
    data: items.map((_, i) => {
      const v = fakeVector(i, dims);
      const embedding = base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      return { object: 'embedding', index: i, embedding };
    }),
    model: body.model,
    usage: { prompt_tokens: items.length * 3, total_tokens: items.length * 3 },
  };
}

function openaiImages(n: number, url: boolean) {
  const b64 = makePng(2, 2, [255, 0, 0]).toString('base64');
  return {
    created: 1_700_000_000,
    data: Array.from({ length: n }, () => (url ? { url: 'https://images.example/fake.png' } : { b64_json: b64 })),
    usage: { input_tokens: 5, output_tokens: 100, total_tokens: 105 },
  };
}

/** The generated "image" is a 1x1 PNG whose colour encodes the call number, so tests can tell answers apart. */
let imageCalls = 0;
function geminiImageAnswer(rec: MediaRequest, refuse: boolean) {
  const usageMetadata = { promptTokenCount: 12, candidatesTokenCount: 1290, totalTokenCount: 1302 };
  if (refuse) {
    return { candidates: [{ content: { role: 'model', parts: [{ text: 'I cannot draw that.' }] }, finishReason: 'IMAGE_SAFETY' }], usageMetadata };
  }
  imageCalls++;
  const png = makePng(1, 1, [imageCalls % 256, 0, 0]);
  return {
    candidates: [
      {
        content: { role: 'model', parts: [{ text: 'Here is your image.' }, { inlineData: { mimeType: 'image/png', data: png.toString('base64') } }] },
        finishReason: 'STOP',
      },
    ],
    usageMetadata,
    modelVersion: rec.path,
  };
}

/** Replace inline image data by a summary (keeps recorded requests small) and remember it. */
function summariseInline(rec: MediaRequest): void {
  const contents = (rec.json?.contents ?? (rec.json?.request as { contents?: unknown } | undefined)?.contents) as
    | Array<{ parts?: Array<Record<string, unknown>> }>
    | undefined;
  if (!Array.isArray(contents)) return;
  rec.inline = [];
  for (const c of contents) {
    for (const p of c.parts ?? []) {
      const inline = (p.inlineData ?? p.inline_data) as { mimeType?: string; mime_type?: string; data?: string } | undefined;
      if (!inline?.data) continue;
      rec.inline.push({ mimeType: inline.mimeType ?? inline.mime_type ?? '', base64Length: inline.data.length, sha256: sha256(Buffer.from(inline.data, 'base64')) });
      inline.data = `<${inline.data.length} base64 chars>`;
    }
  }
}

function readMultipart(req: http.IncomingMessage, rec: MediaRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    rec.fields = {};
    rec.files = [];
    const bb = busboy({ headers: req.headers });
    req.on('data', (c: Buffer) => (rec.bodyBytes += c.length));
    bb.on('field', (name, value) => (rec.fields![name] = value));
    bb.on('file', (name, stream, info) => {
      const hash = createHash('sha256');
      let size = 0;
      stream.on('data', (c: Buffer) => {
        hash.update(c);
        size += c.length;
      });
      stream.on('end', () => rec.files!.push({ field: name, filename: info.filename ?? "", mimeType: info.mimeType, size, sha256: hash.digest('hex') }));
    });
    bb.on('close', () => resolve());
    bb.on('error', reject);
    req.pipe(bb);
  });
}

// ---- a real PNG, built by hand (signature, IHDR, IDAT, IEND with CRCs) ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * An RGB PNG of the given size filled with one colour; `extraBytes` adds an ancillary text
 * chunk of that size (how tests make a valid 20 MB PNG without 20 MB of pixels to compress).
 */
export function makePng(width: number, height: number, rgb: [number, number, number], extraBytes = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (extraBytes > 0) parts.push(chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(extraBytes, 0x61)])));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}
