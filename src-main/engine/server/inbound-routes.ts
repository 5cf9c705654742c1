import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Protocol, ProtocolId, WireError } from '../protocols/protocol';
import { runGenerate, type PipelineDeps } from '../pipeline/generate';
import { ClientSink } from '../pipeline/sink';
import { renderModelList } from './model-lists';
import { runCountTokens } from '../pipeline/count-tokens';
import { legacyCompletionsProtocol } from '../protocols/openai-chat';
import * as ollama from '../protocols/ollama';
import type { RouteId, RouteMatch } from './route-table';
import { checkModelName, liveRawBody, parseJsonObjectBody } from './client-input';

export interface InboundDeps {
  pipeline: () => PipelineDeps;
  protocols: Record<ProtocolId, Protocol>;
  bodyLimitBytes: () => number;
}

/** A handler for one route-table entry; the match carries the path's `{model}`. */
export type RouteHandler = (req: Request, res: Response, next: NextFunction, match: RouteMatch) => unknown;

function isError(v: unknown): v is WireError {
  return typeof v === 'object' && v !== null && 'status' in v && 'message' in v;
}

export function sendWireError(res: Response, protocol: Protocol, err: WireError & { retryAfterSeconds?: number }): void {
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
  res.status(err.status).json(protocol.encodeError(err));
}

/** Handlers of every inbound wire format, keyed by route-table id, all feeding the one pipeline. */
export function inboundHandlers(deps: InboundDeps): Partial<Record<RouteId, RouteHandler>> {
  const readBody = liveRawBody(deps.bodyLimitBytes);
  const p = deps.protocols;

  /** Read the body (live limit), then run `then`; body-reader errors go to the error handler. */
  const withBody =
    (then: (req: Request, res: Response, match: RouteMatch) => unknown): RouteHandler =>
    (req, res, next, match) =>
      readBody(req, res, (err?: unknown) => {
        if (err) return next(err);
        Promise.resolve(then(req, res, match)).catch(next);
      });

  const generate = (protocol: Protocol, stream: (body: Record<string, unknown>) => boolean, allowPassthrough = true) =>
    withBody(async (req, res, match) => {
      const parsed = parseJsonObjectBody(req);
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
          stream: stream(parsed.body),
          operation: 'generate',
          clientKeyLabel: res.locals.clientKeyLabel as string | undefined,
          headers: req.headers,
          allowPassthrough,
        },
        deps.pipeline(),
      );
    });

  const countTokens = (protocol: Protocol) =>
    withBody(async (req, res, match) => {
      const parsed = parseJsonObjectBody(req);
      if (isError(parsed)) return sendWireError(res, protocol, parsed);
      const checked = checkModelName(match.model ?? parsed.body.model);
      if (isError(checked)) return sendWireError(res, protocol, checked);
      return runCountTokens({ inbound: protocol, codec: protocol.countTokens!, body: parsed.body, model: checked.model, sink: new ClientSink(res, protocol) }, deps.pipeline());
    });

  const bodyStream = (body: Record<string, unknown>) => body.stream === true;

  return {
    'openai-chat': generate(p['openai-chat'], bodyStream),
    'openai-completions': generate(legacyCompletionsProtocol, bodyStream, false),
    'openai-responses': generate(p['openai-responses'], bodyStream),
    'claude-messages': generate(p['claude-messages'], bodyStream),
    'claude-count-tokens': countTokens(p['claude-messages']),
    // Gemini puts the model and the action in the path: /v1beta/models/{model}:{action}
    'gemini-generate': generate(p.gemini, () => false),
    'gemini-stream-generate': generate(p.gemini, () => true),
    'gemini-count-tokens': countTokens(p.gemini),
    models: (req, res) => {
      res.json(renderModelList(deps.pipeline().routing.listModels(), req.headers['anthropic-version'] ? 'claude' : 'openai'));
    },
    'gemini-models': (_req, res) => {
      res.json(renderModelList(deps.pipeline().routing.listModels(), 'gemini'));
    },
    'gemini-model': (_req, res, _next, match) => {
      const id = match.model ?? '';
      const list = renderModelList(deps.pipeline().routing.listModels().filter((m) => m.id === id), 'gemini') as { models: unknown[] };
      if (!list.models.length) return sendWireError(res, p.gemini, { status: 404, kind: 'not_found', message: `models/${id.slice(0, 256)} is not found.` });
      res.json(list.models[0]);
    },
    // Ollama: streams unless `"stream": false`; one protocol instance per request times it.
    'ollama-chat': (req, res, next, match) => generate(ollama.createOllamaProtocol('chat'), ollama.wantsStream, false)(req, res, next, match),
    'ollama-generate': (req, res, next, match) => generate(ollama.createOllamaProtocol('generate'), ollama.wantsStream, false)(req, res, next, match),
    'ollama-tags': (_req, res) => void res.json(ollama.renderTags(deps.pipeline().routing.listModels())),
    'ollama-version': (_req, res) => void res.json(ollama.renderVersion()),
    'ollama-show': withBody((req, res) => {
      const parsed = parseJsonObjectBody(req);
      const checked = isError(parsed) ? parsed : checkModelName(parsed.body.model ?? parsed.body.name);
      const shown = isError(checked) ? checked : ollama.renderShow(checked.model, deps.pipeline().routing.listModels());
      if (isError(shown)) return sendWireError(res, p.ollama, shown);
      res.json(shown);
    }),
  };
}
