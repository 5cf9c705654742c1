import { z } from 'zod';

/**
 * Building blocks shared by every DTO the UI sees.
 *
 * Provider ids are open strings here on purpose, and there is no list of them in src-shared: the
 * engine's provider registry (`src-main/engine/providers/index.ts`, one line per provider folder)
 * is the only list. The renderer, which may not import src-main, learns the providers — ids,
 * display names, sign-in kind, key section — from the engine (`app:providers:list` →
 * `ProviderInfo[]`), so a provider added to the registry shows up in the UI with no change here,
 * and a newer engine with a provider this UI has never seen still validates.
 */
export const providerIdSchema = z.string().min(1).max(64);
export const idSchema = z.string().min(1).max(256);
/** Epoch milliseconds. */
export const epochMsSchema = z.number().int().nonnegative();

/** Request with no fields; a missing payload (IPC `invoke(channel)`) counts as `{}`. */
export const emptyRequest = z.strictObject({}).default({});
export const okResponse = z.object({ ok: z.literal(true) });

export const errorBodySchema = z.object({ code: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;
