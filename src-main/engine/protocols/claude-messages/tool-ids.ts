import { randomBytes } from 'node:crypto';

/**
 * Anthropic accepts tool_use ids matching ^[a-zA-Z0-9_-]+$. Ids from other formats (OpenAI
 * `call_…`, Gemini names with dots) are made legal by replacing every other character, which is
 * deterministic so a tool_use and its tool_result still match after the rewrite.
 */
export function sanitizeClaudeToolId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** A fresh id for a call that came without one (PROTOCOLS.md §3.15: `toolu_<time>_<n>`). */
export function newClaudeToolId(n: number): string {
  return `toolu_${Date.now().toString(36)}${randomBytes(6).toString('hex')}_${n}`;
}

export function newMessageId(): string {
  return `msg_${randomBytes(12).toString('hex')}`;
}
