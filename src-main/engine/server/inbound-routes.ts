import express, { type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Protocol, ProtocolId, WireError } from '../protocols/protocol';
import { runGenerate, type PipelineDeps } from '../pipeline/generate';
import { ClientSink } from '../pipeline/sink';
import { renderModelList } from './model-lists';
import { runCountTokens } from '../pipeline/count-tokens';
import { legacyCompletionsProtocol } from '../protocols/openai-chat';

export interface InboundDeps {
  pipeline: () => PipelineDeps;
  protocols: Record<ProtocolId, Protocol>;
  bodyLimitBytes: () => number;
}

/** Parsed client body, or the error to send when it is not a JSON object. */
function parseBody(req: Request): { raw: Buffer; body: Record<string, unknown> } | WireError {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (raw.length === 0) return { status: 400, kind: 'invalid_request', message: 'The request body is empty; send a JSON object.' };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { status: 400, kind: 'invalid_request', message: `The request body is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, kind: 'invalid_request', message: 'The request body must be a JSON object.' };
  }
  return { raw, body: body as Record<string, unknown> };
}

function isError(v: unknown): v is WireError {
  return typeof v === 'object' && v !== null && 'status' in v && 'message' in v;
}

export function sendWireError(res: Response, protocol: Protocol, err: WireError & { retryAfterSeconds?: number }): void {
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
  res.status(err.status).json(protocol.encodeError(err));
}

/** Express routes of every inbound wire format, all feeding the one pipeline. */
export function inboundRoutes(deps: InboundDeps): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: deps.bodyLimitBytes() });
  const p = deps.protocols;

  const generate = (
    protocol: Protocol,
    locate: (req: Request, body: Record<string, unknown>) => { model: unknown; stream: boolean },
    allowPassthrough = true,
  ) =>
    async (req: Request, res: Response) => {
      const parsed = parseBody(req);
      if (isError(parsed)) return sendWireError(res, protocol, parsed);
      const { model, stream } = locate(req, parsed.body);
      if (typeof model !== 'string' || !model.trim()) {
        return sendWireError(res, protocol, { status: 400, kind: 'invalid_request', message: 'The "model" field is required and must be a string.' });
      }
      await runGenerate(
        {
          requestId: String(res.locals.requestId ?? randomUUID()),
          inbound: protocol,
          sink: new ClientSink(res, protocol),
          rawBody: parsed.raw,
          body: parsed.body,
          model: model.trim(),
          bodyModel: typeof parsed.body.model === 'string' ? parsed.body.model : undefined,
          stream,
          operation: 'generate',
          clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
          headers: req.headers,
          allowPassthrough,
        },
        deps.pipeline(),
      );
    };

  const countTokens = (protocol: Protocol, req: Request, res: Response, model: unknown) => {
    const parsed = parseBody(req);
    if (isError(parsed)) return sendWireError(res, protocol, parsed);
    const m = model ?? parsed.body.model;
    if (typeof m !== 'string' || !m.trim()) {
      return sendWireError(res, protocol, { status: 400, kind: 'invalid_request', message: 'The "model" field is required and must be a string.' });
    }
    return runCountTokens({ inbound: protocol, codec: protocol.countTokens!, body: parsed.body, model: m.trim(), sink: new ClientSink(res, protocol) }, deps.pipeline());
  };

  const bodyModel = (_req: Request, body: Record<string, unknown>) => ({ model: body.model, stream: body.stream === true });

  router.post('/v1/chat/completions', raw, generate(p['openai-chat'], bodyModel));
  router.post('/v1/completions', raw, generate(legacyCompletionsProtocol, bodyModel, false));
  router.post('/v1/responses', raw, generate(p['openai-responses'], bodyModel));
  router.post('/v1/messages/count_tokens', raw, (req, res) => countTokens(p['claude-messages'], req, res, undefined));
  router.post('/v1/messages', raw, generate(p['claude-messages'], bodyModel));

  // Gemini puts the model and the action in the path: /v1beta/models/{model}:{action}
  router.post('/v1beta/models/*rest', raw, (req: Request, res: Response, next) => {
    const tail = ([] as string[]).concat((req.params as Record<string, string | string[]>).rest ?? []).join('/');
    const i = tail.lastIndexOf(':');
    const model = i > 0 ? tail.slice(0, i) : tail;
    const action = i > 0 ? tail.slice(i + 1) : '';
    if (action === 'generateContent' || action === 'streamGenerateContent') {
      const stream = action === 'streamGenerateContent';
      return generate(p.gemini, () => ({ model, stream }))(req, res);
    }
    if (action === 'countTokens') return countTokens(p.gemini, req, res, model);
    if (action === 'embedContent' || action === 'batchEmbedContents') return next();
    sendWireError(res, p.gemini, { status: 404, kind: 'not_found', message: `Unknown action "${action}" for models/${model}.` });
  });

  router.get('/v1/models', (req, res) => {
    res.json(renderModelList(deps.pipeline().routing.listModels(), req.headers['anthropic-version'] ? 'claude' : 'openai'));
  });
  router.get('/v1beta/models', (_req, res) => {
    res.json(renderModelList(deps.pipeline().routing.listModels(), 'gemini'));
  });
  router.get('/v1beta/models/*rest', (req, res) => {
    const id = ([] as string[]).concat((req.params as Record<string, string | string[]>).rest ?? []).join('/');
    const list = renderModelList(deps.pipeline().routing.listModels().filter((m) => m.id === id), 'gemini') as { models: unknown[] };
    if (!list.models.length) return sendWireError(res, p.gemini, { status: 404, kind: 'not_found', message: `models/${id} is not found.` });
    res.json(list.models[0]);
  });
  return router;
}
