/** One Responses input/output item, kept as the client or the upstream wrote it. */
export type Item = Record<string, unknown>;

export interface HistoryLimits {
  /** Responses remembered per connection (the oldest is forgotten first). */
  maxResponses: number;
  /** Size cap (JSON bytes) of one rebuilt conversation: the same limit as an HTTP request body. */
  maxBytes: () => number;
}

interface Entry {
  /** The whole conversation after this response: every input item, then the response's output. */
  items: readonly Item[];
  bytes: number;
}

/** JSON size of items, as they would travel in a request body. */
export function itemsBytes(items: readonly Item[]): number {
  let n = 0;
  for (const it of items) n += Buffer.byteLength(JSON.stringify(it)) + 1;
  return n;
}

/**
 * The conversations of one WebSocket connection, by response id, so that `previous_response_id`
 * works even with `store: false`: the real API keeps that state on the connection, and so must
 * we, because no upstream has it (Claude, Gemini and chat upstreams are stateless, and a Codex
 * upstream was asked not to store). Entries share item objects, so a chain costs one array per
 * response, not a copy of every item.
 */
export class ConversationHistory {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: HistoryLimits) {}

  has(responseId: string): boolean {
    return this.entries.has(responseId);
  }

  /**
   * The full conversation of a new request: the chain's items, then the new input. `missing`
   * when the previous response is not known on this connection, `tooLarge` (bytes) past the limit.
   */
  rebuild(previousId: string | undefined, newInput: readonly Item[]): { items: Item[]; bytes: number } | { missing: true } | { tooLarge: number } {
    const base = previousId === undefined ? undefined : this.entries.get(previousId);
    if (previousId !== undefined && !base) return { missing: true };
    const bytes = (base?.bytes ?? 0) + itemsBytes(newInput);
    if (bytes > this.limits.maxBytes()) return { tooLarge: bytes };
    return { items: [...(base?.items ?? []), ...newInput], bytes };
  }

  /** Remember a finished response: its whole input followed by its output items. */
  remember(responseId: string, input: { items: readonly Item[]; bytes: number }, output: readonly Item[]): void {
    const items = [...input.items, ...output];
    this.entries.delete(responseId);
    this.entries.set(responseId, { items, bytes: input.bytes + itemsBytes(output) });
    while (this.entries.size > this.limits.maxResponses) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  forget(responseId: string): void {
    this.entries.delete(responseId);
  }

  clear(): void {
    this.entries.clear();
  }
}
