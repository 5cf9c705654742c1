/**
 * Gemini function names must match [A-Za-z_][A-Za-z0-9_.:-]{0,63}. Other formats allow more
 * (Claude Code's `mcp__server__tool-name`, spaces, slashes), so names are rewritten for the
 * upstream and restored for the client. Case is never changed: the reference system once
 * lower-cased names and broke Claude Code's tools (PROTOCOLS.md §3.15, issue #1741).
 */
export function sanitizeGeminiFunctionName(name: string): string {
  let out = name.replace(/[^A-Za-z0-9_.:-]/g, '_');
  if (!/^[A-Za-z_]/.test(out)) out = `_${out}`;
  return out.slice(0, 64);
}

/**
 * Per-request name table. `restore` maps every sanitized name that differs from its original
 * back to the original; it is what encodeRequest returns as `toolNames`.
 */
export class GeminiToolNames {
  private readonly forward = new Map<string, string>();
  readonly restore = new Map<string, string>();

  sanitize(name: string): string {
    const known = this.forward.get(name);
    if (known) return known;
    let candidate = sanitizeGeminiFunctionName(name);
    // Two originals may collapse to one legal name (`a-b` and `a b`): suffix until unique.
    for (let n = 2; this.isTaken(candidate, name); n++) {
      const suffix = `_${n}`;
      candidate = sanitizeGeminiFunctionName(name).slice(0, 64 - suffix.length) + suffix;
    }
    this.forward.set(name, candidate);
    if (candidate !== name) this.restore.set(candidate, name);
    return candidate;
  }

  private isTaken(candidate: string, original: string): boolean {
    for (const [orig, san] of this.forward) if (san === candidate && orig !== original) return true;
    return false;
  }
}
