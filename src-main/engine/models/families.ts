import type { ProviderId } from '../providers/provider';

/**
 * Model families: which providers may serve an id that no model list knows yet (a model
 * released after this build and after the last list refresh). The upstream's own answer then
 * decides whether it exists; a "no such model" answer fails over like any other.
 */
const FAMILIES: ReadonlyArray<{ pattern: RegExp; providers: readonly ProviderId[] }> = [
  { pattern: /^claude-/i, providers: ['claude', 'claude-api'] },
  { pattern: /^(gpt-|o\d|codex-)/i, providers: ['codex', 'codex-api'] },
  { pattern: /^gemini-/i, providers: ['gemini-api', 'vertex', 'gemini-cli', 'antigravity'] },
  { pattern: /^grok-/i, providers: ['xai'] },
  { pattern: /^kimi-/i, providers: ['kimi'] },
  { pattern: /^qwen/i, providers: ['qwen'] },
];

/** Providers whose family the id belongs to (empty when it belongs to none). */
export function familyProviders(id: string): readonly ProviderId[] {
  return FAMILIES.find((f) => f.pattern.test(id))?.providers ?? [];
}

export function inFamily(provider: ProviderId, id: string): boolean {
  return familyProviders(id).includes(provider);
}
