import type { IrStreamPart, IrUsage } from '../../ir';
import type { StreamEncoder } from '../../protocols/protocol';
import { decodeRest, type StreamAheadOk } from './stream-ahead';

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

/** The read-ahead's parts, then the rest decoded as it arrives: the stream's IR, in batches. */
export async function* irBatches(ahead: StreamAheadOk): AsyncGenerator<IrStreamPart[], void, undefined> {
  if (ahead.parts.length) yield ahead.parts;
  for await (const d of decodeRest(ahead)) if (d.parts.length) yield d.parts;
}

/**
 * Stage 5, IR parts → the client's wire format. One string per upstream chunk (so a token goes
 * out as soon as it came in); an error part is the last thing encoded; the format's terminator
 * closes the stream.
 */
export async function* encodeStream(batches: AsyncIterable<IrStreamPart[]>, encoder: StreamEncoder, tally: StreamTally): AsyncGenerator<string, void, undefined> {
  for await (const parts of batches) {
    let out = '';
    for (const p of parts) {
      tally.see(p);
      out += encoder.push(p);
      if (p.type === 'error') {
        yield out + encoder.end();
        return;
      }
    }
    if (out) yield out;
  }
  yield encoder.end();
}
