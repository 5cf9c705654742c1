import type { IrStreamError, IrUsage } from '../ir';
import type { Protocol } from '../protocols/protocol';
import type { ProviderDescriptor } from '../providers/provider';
import type { AttemptClock } from './attempt-clock';
import { findTopLevelString, rewriteTopLevelModel } from './model-rewrite';
import { toNetworkError, type UpstreamNetworkError, type UpstreamResponse } from './send-upstream';
import type { ClientSink } from './sink';
import { pump } from './stream/pump';
import { readAhead, type AheadJudge, type Verdict } from './stream/read-ahead';
import { iterable } from './stream/stream-ahead';
import { bodyPreview } from './upstream-message';
import { UpstreamBody } from './upstream-call';

/** Bodies up to this size are checked whole (and can still fail over) before the client sees them. */
export const HOLD_BYTES = 1024 * 1024;
/** Larger bodies stream; a copy this large at most is kept to read usage from. */
const USAGE_COPY_BYTES = 8 * 1024 * 1024;

export type JsonRelayResult =
  | { started: true; usage?: IrUsage; error?: string }
  /** Nothing went out: a broken body (fail over as a bad gateway) … */
  | { started: false; error: IrStreamError }
  /** … or a reset or stall (fail over as a network failure). */
  | { started: false; net: UpstreamNetworkError };

export interface JsonRelayOptions {
  upstreamModel: string;
  clientModel: string;
  /** `limits.upstream-body-mb` in bytes: at most this much is held (bigger answers stream, nothing is buffered). */
  maxBytes: number;
  clock?: AttemptClock;
  holdBytes?: number;
}

function firstSignificantByte(buf: Buffer): number | undefined {
  for (const b of buf) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}

/**
 * A non-stream answer in the client's own format. Small bodies (the usual case) are read whole,
 * checked to be JSON — an HTML page or an empty 200 is a failure that fails over (D5) — and
 * sent; bigger ones go out as they arrive instead of being buffered (D7), once their first
 * bytes look like JSON. A reset after bytes went out cuts the client's connection, so a
 * truncated body is never mistaken for a whole one. The same read-ahead and pump as streams
 * (with the hold as its rule), so a big body moves at the client's pace too.
 */
export async function relayJsonPassthrough(
  res: UpstreamResponse,
  upstream: Protocol,
  provider: ProviderDescriptor,
  sink: ClientSink,
  opts: JsonRelayOptions,
): Promise<JsonRelayResult> {
  const hold = Math.min(opts.holdBytes ?? HOLD_BYTES, opts.maxBytes);
  const ahead = await holdBody(res.body, hold);
  if (!ahead.ok) {
    res.body.destroy();
    return { started: false, net: toNetworkError(ahead.error, sink.signal, opts.clock) };
  }
  const head = ahead.held.length === 1 ? ahead.held[0] : Buffer.concat(ahead.held, ahead.size);
  ahead.held.length = 0;
  const rename = opts.upstreamModel !== opts.clientModel;

  if (ahead.ended) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(head.toString('utf8'));
    } catch {
      return { started: false, error: { status: 502, message: `upstream answered ${res.status} with ${bodyPreview(head)}, not JSON`, code: 'upstream_bad_body' } };
    }
    const out = rename && findTopLevelString(head, 'model') ? rewriteTopLevelModel(head, opts.clientModel) : head;
    sink.sendJson(200, out);
    return { started: true, usage: usageOf(parsed, upstream, provider) };
  }

  const first = firstSignificantByte(head);
  if (first !== 0x7b && first !== 0x5b) {
    res.body.destroy();
    return { started: false, error: { status: 502, message: `upstream answered ${res.status} with ${bodyPreview(head)}, not JSON`, code: 'upstream_bad_body' } };
  }
  // The top-level model sits near the start of every format's answer: renamed in the held head only.
  const span = rename ? findTopLevelString(head, 'model') : undefined;
  const out = span ? Buffer.concat([head.subarray(0, span[0]), Buffer.from(JSON.stringify(opts.clientModel)), head.subarray(span[1])]) : head;
  const copy = new UsageCopy(head);
  sink.startBody(200, 'application/json');
  const done = await pump(sink, copied(out, ahead.rest, copy));
  if (done.aborted) return { started: true };
  if (done.failure !== undefined) {
    res.body.destroy();
    // Cut the connection: a body that broke after bytes went out must not look complete.
    sink.destroy();
    return { started: true, error: toNetworkError(done.failure, sink.signal, opts.clock).message };
  }
  return { started: true, usage: copy.usage(upstream, provider) };
}

type Held = { ok: true; held: Buffer[]; size: number; ended: boolean; rest: AsyncIterator<Buffer> } | { ok: false; error: unknown };

/** Hold a JSON body until it ended or grew past `hold` bytes (then it streams). */
async function holdBody(body: UpstreamResponse['body'], hold: number): Promise<Held> {
  if (body instanceof UpstreamBody) {
    // Our own body: one wait for the whole (usual) answer instead of one per chunk.
    try {
      const got = await body.collect(hold);
      return { ok: true, held: got.chunks, size: got.size, ended: got.ended, rest: body };
    } catch (err) {
      return { ok: false, error: err };
    }
  }
  const ahead = await readAhead((body as AsyncIterable<Buffer>)[Symbol.asyncIterator](), new HoldJudge(hold));
  if (!ahead.ok) return ahead;
  return { ...ahead, size: ahead.held.reduce((n, b) => n + b.length, 0) };
}

/** The rule of `holdBody` for any other body. */
class HoldJudge implements AheadJudge<Buffer, unknown> {
  private size = 0;
  constructor(private readonly hold: number) {}
  push(chunk: Buffer): Verdict<unknown> {
    this.size += chunk.length;
    return this.size > this.hold ? 'answered' : 'more';
  }
  end(): 'answered' {
    return 'answered';
  }
  failed(err: unknown): unknown {
    return err;
  }
}

/** Up to USAGE_COPY_BYTES of a streamed body, to read its usage once it is through. */
class UsageCopy {
  private readonly chunks: Buffer[];
  private size: number;
  constructor(head: Buffer) {
    this.chunks = [head];
    this.size = head.length;
  }
  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= USAGE_COPY_BYTES) this.chunks.push(chunk);
    else this.chunks.length = 0;
  }
  usage(upstream: Protocol, provider: ProviderDescriptor): IrUsage | undefined {
    if (this.size > USAGE_COPY_BYTES) return undefined;
    try {
      return usageOf(JSON.parse(Buffer.concat(this.chunks).toString('utf8')), upstream, provider);
    } catch {
      return undefined;
    }
  }
}

async function* copied(head: Buffer, rest: AsyncIterator<Buffer>, copy: UsageCopy): AsyncGenerator<Buffer, void, undefined> {
  yield head;
  for await (const chunk of iterable(rest)) {
    copy.add(chunk);
    yield chunk;
  }
}

/**
 * Usage of a passthrough JSON body, read after (or while) the reply goes out. Only the usage
 * fields are read (the format's `readUsage`): the body itself goes out untouched, so decoding
 * all of it just for the counts would be wasted work on the hottest path.
 */
function usageOf(parsed: unknown, upstream: Protocol, provider: ProviderDescriptor): IrUsage | undefined {
  try {
    const body = provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed;
    return upstream.readUsage ? upstream.readUsage(body) : upstream.decodeResponse(body).usage;
  } catch {
    return undefined;
  }
}
