import { z } from 'zod';
import { epochMsSchema } from './common';

export const engineStateSchema = z.enum(['starting', 'running', 'stopping', 'stopped', 'error']);
export type EngineState = z.infer<typeof engineStateSchema>;

/**
 * Which stores write to disk. false = the store could not open (unreadable file, not SQLite)
 * or usage history is switched off: that data lives in memory and is lost on restart.
 */
export const persistenceSchema = z.object({ usage: z.boolean(), cooldowns: z.boolean(), quota: z.boolean() });
export type Persistence = z.infer<typeof persistenceSchema>;

/** What the dashboard and tray show at a glance. Snapshot, not delta. */
export const statusSchema = z.object({
  state: engineStateSchema,
  /** `http://127.0.0.1:8317` while running; null when stopped. */
  baseUrl: z.string().nullable(),
  host: z.string(),
  port: z.number().int(),
  startedAt: epochMsSchema.nullable(),
  /** Why the engine is in `error` (e.g. port in use). */
  error: z.string().nullable(),
  version: z.string(),
  /** Desktop app (Electron) or headless `serve`; the UI hides desktop-only settings headless. */
  mode: z.enum(['desktop', 'headless']),
  accounts: z.object({
    total: z.number().int(),
    active: z.number().int(),
    cooling: z.number().int(),
    needsSignIn: z.number().int(),
    disabled: z.number().int(),
  }),
  /** Since local midnight. */
  today: z.object({ requests: z.number().int(), tokens: z.number().int(), errors: z.number().int() }),
  /** Absent from engines that predate it; the UI warns about each store that is off. */
  persistence: persistenceSchema.optional(),
});
export type Status = z.infer<typeof statusSchema>;
