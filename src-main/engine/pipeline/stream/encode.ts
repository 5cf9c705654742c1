import type { IrStreamPart, IrUsage } from '../../ir';
import type { StreamEncoder } from '../../protocols/protocol';
import { streamFailure } from './first-output';
import type { StreamAheadOk } from './stream-ahead';

/** What a relayed stream carried, for the request record. */
export class StreamTally {
  usage?: IrUsage;
  error?: string;

  see(p: IrStreamPart): void {
    if (p.type === 'usage') this.usage = { ...this.usage, ...p.usage };
    else if (p.type === 'finish' && p.usage) this.usage = { ...this.usage, ...p.usage };
    else if (p.type === 'error') this.error = p.error.message;
  }
}

/**
 * Stage 5, IR parts → the client's wire format: the read-ahead's parts, then the rest decoded as
 * it arrives. One string per upstream chunk (so a token goes out as soon as it came in); an
 * error part is the last thing encoded; the format's terminator closes the stream. Reads the
 * rest itself (as `decodeRest` does: a read or decode failure becomes an error part, leaving
 * early closes the upstream body) rather than through a second generator per chunk.
 */
export async function* encodeStream(ahead: StreamAheadOk, encoder: StreamEncoder, tally: StreamTally): AsyncGenerator<string, void, undefined> {
  const encode = (parts: IrStreamPart[]): { out: string; last: boolean } => {
    let out = '';
    for (const p of parts) {
      tally.see(p);
      out += encoder.push(p);
      if (p.type === 'error') return { out: out + encoder.end(), last: true };
    }
    return { out, last: false };
  };
  const head = encode(ahead.parts);
  if (head.out) yield head.out;
  if (head.last) return;
  const { rest, watch } = ahead;
  let finished = false;
  try {
    for (;;) {
      let parts: IrStreamPart[];
      try {
        const step = await rest.next();
        if (step.done) break;
        parts = watch.decode(step.value);
      } catch (err) {
        finished = true;
        parts = [{ type: 'error', error: streamFailure(err, ahead.clock) }];
      }
      const next = encode(parts);
      if (next.out) yield next.out;
      if (next.last) return;
    }
    finished = true;
  } finally {
    if (!finished) await rest.return?.();
  }
  yield encoder.end();
}
