/**
 * Codex (and the Responses API in general) refuses function names longer than 64 characters,
 * which MCP tools (`mcp__server__tool_name…`) easily exceed. PROTOCOLS.md §3.9: names over the
 * limit are shortened; `mcp__` names keep the prefix and their last segment; collisions get
 * `_1`, `_2`… The caller keeps the reverse map to restore the client's names in responses.
 */
export const MAX_TOOL_NAME = 64;

function baseShort(name: string): string {
  if (name.length <= MAX_TOOL_NAME) return name;
  if (name.startsWith('mcp__')) {
    const i = name.lastIndexOf('__');
    if (i > 'mcp_'.length) {
      const candidate = `mcp__${name.slice(i + 2)}`;
      return candidate.slice(0, MAX_TOOL_NAME);
    }
  }
  return name.slice(0, MAX_TOOL_NAME);
}

/**
 * Original name → name to send, for every distinct name given (short names map to themselves).
 * Deterministic for a given list, so a request and its follow-up turns agree.
 */
export function shortenToolNames(names: Iterable<string>): Map<string, string> {
  return renameAll(names, (n) => n, (n) => n.length <= MAX_TOOL_NAME);
}

const LEGAL = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * OpenAI's own rule for function names (`^[a-zA-Z0-9_-]{1,64}$`, Chat and Responses alike):
 * other characters (dots, slashes, spaces from other clients) become `_`, then the 64-character
 * shortening applies. Legal names are never touched.
 */
export function openaiToolNames(names: Iterable<string>): Map<string, string> {
  return renameAll(names, (n) => n.replace(/[^A-Za-z0-9_-]/g, '_') || '_', (n) => LEGAL.test(n));
}

function renameAll(names: Iterable<string>, legalize: (n: string) => string, fits: (n: string) => boolean): Map<string, string> {
  const unique = [...new Set(names)];
  const out = new Map<string, string>();
  // Names that already fit are taken first so a renamed one never steals one of them.
  const used = new Set(unique.filter(fits));
  for (const n of unique) if (fits(n)) out.set(n, n);
  for (const n of unique) {
    if (out.has(n)) continue;
    const base = baseShort(legalize(n));
    let candidate = base;
    for (let k = 1; used.has(candidate); k++) {
      const suffix = `_${k}`;
      candidate = base.slice(0, MAX_TOOL_NAME - suffix.length) + suffix;
    }
    used.add(candidate);
    out.set(n, candidate);
  }
  return out;
}

/** Shortened name → original, only for the names that changed (what ResponseContext.toolNames wants). */
export function reverseRenames(map: Map<string, string>): Map<string, string> | undefined {
  const rev = new Map<string, string>();
  for (const [orig, short] of map) if (orig !== short) rev.set(short, orig);
  return rev.size ? rev : undefined;
}
