import type { Protocol, WireError } from './protocol';

/**
 * What a wire format serves: its HTTP routes, declared as data next to its codecs. The server
 * builds its one route table from these declarations and runs one generic handler per kind,
 * so adding a wire format adds its folder and one registry line, nothing in the server.
 */

/** `public` routes need no client key; every other route does. There is no third kind. */
export type RouteAccess = 'public' | 'client-key';

/** Request headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** One served model, as the routing layer lists it, with the facts a model list may show. */
export interface ListedModel {
  id: string;
  /** The provider id that serves it (some lists show it as the model family). */
  provider: string;
  /** The organisation an OpenAI-style list names in `owned_by`. */
  ownedBy: string;
  /** Where the id came from: `catalog`, `discovered` or `config`. */
  source?: string;
  info?: {
    displayName?: string;
    contextWindow?: number;
    maxOutputTokens?: number;
    capabilities?: { tools?: boolean; vision?: boolean; reasoning?: boolean };
  };
}

/** What an adapted endpoint answers: a JSON body (status 200), or an error in the route's format. */
export type EndpointAnswer = { json: unknown } | { error: WireError };

export interface EndpointInput {
  /** The model: from the path's `{model}`, else from the body (validated and trimmed). */
  model?: string;
  body?: Record<string, unknown>;
  /** The models served right now. */
  models: () => readonly ListedModel[];
}

/** How a route is answered; the server has exactly one handler per kind. */
export type RouteHandlerSpec =
  /** A model request through the pipeline (failover, passthrough or translation). */
  | {
      kind: 'generate';
      /** Whether the client asked for a stream (Gemini says it in the path, the others in the body). */
      stream: (body: Record<string, unknown>) => boolean;
      /** Same-format bytes may be forwarded unchanged (default true). */
      passthrough?: boolean;
      /** The codec for this route when it is not the format's own (one per request when it keeps state). */
      protocol?: () => Protocol;
    }
  /** A token count through the format's `countTokens` codec. */
  | { kind: 'count-tokens' }
  /** The served models in this format's list shape. */
  | { kind: 'models'; render: (models: readonly ListedModel[], headers: RequestHeaders) => unknown }
  /** A small JSON endpoint the format answers itself (one model's card, a version). */
  | {
      kind: 'endpoint';
      /** Present when the endpoint reads a JSON body; names the field that carries the model. */
      body?: { model: (body: Record<string, unknown>) => unknown };
      answer: (input: EndpointInput) => EndpointAnswer;
    }
  /** Answered by a router the engine mounts (embeddings, images, the Responses WebSocket). */
  | { kind: 'delegated' };

export interface ProtocolRoute {
  /** Unique across all formats (tests and logs name routes by it). */
  id: string;
  method: 'GET' | 'POST';
  /**
   * Exact path as documented; `{model}` stands for one or more path segments (percent-decoded,
   * no empty or dot segments) and may be followed by a literal `:action` suffix.
   */
  path: string;
  access: RouteAccess;
  /** Hot POST route with a JSON body: served by the lean node:http path in front of Express. */
  hot?: boolean;
  handler: RouteHandlerSpec;
}
