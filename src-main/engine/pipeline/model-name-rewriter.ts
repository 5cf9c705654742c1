/**
 * Shows the client the model name it asked for: the upstream's `"model":"<upstream>"` fields
 * become `"model":"<client>"`. Works on whole lines (an SSE field never spans lines), holding
 * back at most one partial line until its newline arrives.
 */
export class ModelNameRewriter {
  private carry: Buffer = Buffer.alloc(0);
  private readonly from: Buffer;
  private readonly to: Buffer;

  constructor(upstreamModel: string, clientModel: string) {
    this.from = Buffer.from(`"model":${JSON.stringify(upstreamModel)}`);
    this.to = Buffer.from(`"model":${JSON.stringify(clientModel)}`);
  }

  /**
   * Works on bytes and cuts only after a newline byte, which never sits inside a multi-byte
   * UTF-8 sequence: characters split across reads stay intact, and chunks without the name
   * go out as the very bytes that came in.
   */
  push(chunk: Buffer): Buffer {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = buf.lastIndexOf(0x0a) + 1;
    this.carry = buf.subarray(cut);
    return this.replace(buf.subarray(0, cut));
  }

  end(): Buffer {
    const rest = this.replace(this.carry);
    this.carry = Buffer.alloc(0);
    return rest;
  }

  private replace(buf: Buffer): Buffer {
    let at = buf.indexOf(this.from);
    if (at === -1) return buf;
    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(buf.subarray(from, at), this.to);
      from = at + this.from.length;
      at = buf.indexOf(this.from, from);
    }
    parts.push(buf.subarray(from));
    return Buffer.concat(parts);
  }
}
