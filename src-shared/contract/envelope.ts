import { z } from 'zod';

/** Error codes the transports understand; handlers may use any other string as well. */
export type ErrorCode =
  | 'unknown-channel'
  | 'bad-request'
  | 'not-found'
  | 'conflict'
  | 'unsupported'
  | 'unauthorized'
  | 'upstream'
  | 'internal'
  | (string & {});

export type Result<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

export const resultSchema = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
  ]);

/** Throw from a handler to return a specific code; anything else becomes `internal`. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

/** HTTP status a transport should use for an error code (the body is always the envelope). */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'unknown-channel':
    case 'not-found':
      return 404;
    case 'bad-request':
      return 400;
    case 'unauthorized':
      return 401;
    case 'conflict':
      return 409;
    case 'unsupported':
      return 501;
    case 'upstream':
      return 502;
    default:
      return 500;
  }
}
