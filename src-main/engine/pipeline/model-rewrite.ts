/**
 * Same-format passthrough forwards the client's bytes untouched except for the top-level
 * `"model"` value. This finds that value's span with a small scanner (strings and nesting
 * aware) and splices the new name in, so the rest of the body is never re-encoded.
 */
export function rewriteTopLevelModel(raw: Buffer, model: string): Buffer {
  const pieces = spliceTopLevelModel(raw, model);
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
}

/**
 * The same rewrite as pieces to send in order: views into `raw` around the new model value, so a
 * large body is not copied once more just to change a few bytes (the sender writes them as they are).
 */
export function spliceTopLevelModel(raw: Buffer, model: string): Buffer[] {
  const span = findTopLevelString(raw, 'model');
  const encoded = Buffer.from(JSON.stringify(model));
  if (!span) {
    // No model field (unusual for these formats): insert one right after the opening brace.
    const brace = raw.indexOf(0x7b);
    if (brace < 0) return [raw];
    const rest = raw.subarray(brace + 1);
    const needsComma = /\S/.test(rest.toString('latin1', 0, Math.min(rest.length, 64)).replace(/^\s*\}/, ''));
    return [raw.subarray(0, brace + 1), Buffer.from('"model":'), encoded, Buffer.from(needsComma ? ',' : ''), rest];
  }
  return [raw.subarray(0, span[0]), encoded, raw.subarray(span[1])];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** [start, end) of the JSON string value of a top-level key, including its quotes. */
export function findTopLevelString(raw: Buffer, key: string): [number, number] | undefined {
  let depth = 0;
  let i = 0;
  const n = raw.length;
  let expectKey = false;
  let pendingKey: string | undefined;
  while (i < n) {
    const c = raw[i];
    if (c === QUOTE) {
      const end = skipString(raw, i);
      if (depth === 1) {
        if (expectKey) {
          pendingKey = raw.toString('utf8', i + 1, end - 1);
          expectKey = false;
        } else if (pendingKey === key) {
          return [i, end];
        } else {
          pendingKey = undefined;
        }
      }
      i = end;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      depth++;
      if (c === 0x7b && depth === 1) expectKey = true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 1) pendingKey = undefined;
    } else if (c === 0x2c && depth === 1) {
      expectKey = true;
      pendingKey = undefined;
    } else if (depth === 1 && c !== 0x3a && c > 0x20 && pendingKey !== undefined) {
      // A non-string value (number, null, object start handled above) for the pending key.
      if (pendingKey === key) return undefined;
    }
    i++;
  }
  return undefined;
}

function skipString(raw: Buffer, start: number): number {
  let i = start + 1;
  const n = raw.length;
  while (i < n) {
    const c = raw[i];
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else i++;
  }
  return n;
}
