import { z } from 'zod';

/**
 * Building blocks shared by every DTO the UI sees. Provider ids stay open strings on the wire so a
 * newer engine with a provider this UI does not know yet still validates; `knownProviderIds` is
 * what the UI has names and icons for.
 */
export const knownProviderIds = [
  'claude',
  'codex',
  'gemini-cli',
  'antigravity',
  'qwen',
  'iflow',
  'kimi',
  'xai',
  'copilot',
  'gemini-api',
  'vertex',
  'claude-api',
  'codex-api',
  'openai-compatibility',
] as const;
export type KnownProviderId = (typeof knownProviderIds)[number];

export const providerIdSchema = z.string().min(1).max(64);
export const idSchema = z.string().min(1).max(256);
/** Epoch milliseconds. */
export const epochMsSchema = z.number().int().nonnegative();

/** Request with no fields; a missing payload (IPC `invoke(channel)`) counts as `{}`. */
export const emptyRequest = z.strictObject({}).default({});
export const okResponse = z.object({ ok: z.literal(true) });

export const errorBodySchema = z.object({ code: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;
