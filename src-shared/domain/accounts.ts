import { z } from 'zod';
import { epochMsSchema, idSchema, providerIdSchema } from './common';

export const accountStatusSchema = z.enum(['active', 'cooling', 'needs-sign-in', 'disabled', 'error']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

/**
 * The management API (`GET /v0/management/quota`) and the metrics' `state` label spell
 * `needs-sign-in` as `needs-login`, as CLIProxyAPI-style tools read it. The one mapping to that
 * spelling; everything else (IPC, UI, tray, engine) uses `AccountStatus` as is.
 */
export type ManagementAccountStatus = Exclude<AccountStatus, 'needs-sign-in'> | 'needs-login';
export function managementAccountStatus(s: AccountStatus): ManagementAccountStatus {
  return s === 'needs-sign-in' ? 'needs-login' : s;
}
/** The way back, for the sign-in registry and the CLI's account table, which use that spelling too. */
export function accountStatusFromManagement(s: ManagementAccountStatus): AccountStatus {
  return s === 'needs-login' ? 'needs-sign-in' : s;
}

/**
 * One account as the UI sees it. Never a token or a full key: key-based entries carry a masked
 * form (`sk-…a1b2`) only. zod strips unknown keys, so a secret a handler leaks by mistake is
 * dropped at the contract boundary.
 */
export const accountSummarySchema = z.object({
  id: idSchema,
  provider: providerIdSchema,
  kind: z.enum(['api-key', 'oauth']),
  label: z.string(),
  plan: z.string().nullable(),
  status: accountStatusSchema,
  /** Epoch ms the cooldown ends when status is `cooling`. */
  coolingUntil: epochMsSchema.nullable(),
  /** Why it cools (`rate_limit`, `server`, `auth`, `manual`, …) while status is `cooling`. */
  coolingReason: z.string().nullable().optional(),
  /** OAuth access/refresh expiry, epoch ms; null for keys. */
  expiresAt: epochMsSchema.nullable(),
  priority: z.number().int(),
  prefix: z.string().nullable(),
  weight: z.number().int(),
  order: z.number().int(),
  maskedKey: z.string().nullable(),
  baseUrl: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const signInModeSchema = z.enum(['browser', 'device', 'manual']);

/** What "Sign in" returns at once; progress and the result arrive as events with the same flowId. */
export const signInStartSchema = z.object({
  flowId: idSchema,
  provider: providerIdSchema,
  kind: z.enum(['authorize-url', 'device-code']),
  /** Open this in the system browser (authorize-url flows). */
  authorizeUrl: z.string().nullable(),
  /** Device flows: the code to type, shown big, and where to type it. */
  userCode: z.string().nullable(),
  verificationUri: z.string().nullable(),
  /** Paste-the-redirect fallback is offered when the loopback listener cannot be reached. */
  acceptsPastedRedirect: z.boolean(),
  expiresAt: epochMsSchema.nullable(),
});
export type SignInStart = z.infer<typeof signInStartSchema>;

export const signInStageSchema = z.enum(['waiting-for-browser', 'waiting-for-device', 'exchanging-code', 'fetching-profile', 'saving']);

export const signInProgressSchema = z.object({
  flowId: idSchema,
  provider: providerIdSchema,
  stage: signInStageSchema,
  message: z.string().nullable(),
});
export type SignInProgress = z.infer<typeof signInProgressSchema>;

export const signInResultSchema = z.object({
  flowId: idSchema,
  provider: providerIdSchema,
  ok: z.boolean(),
  account: accountSummarySchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SignInResult = z.infer<typeof signInResultSchema>;

/** Config sections that hold API-key entries (CLIProxyAPI key names). */
export const keySectionSchema = z.enum(['gemini-api-key', 'claude-api-key', 'codex-api-key', 'vertex-api-key', 'openai-compatibility']);
export type KeySection = z.infer<typeof keySectionSchema>;

export const keyEntrySchema = z.object({
  id: idSchema,
  section: keySectionSchema,
  /** openai-compatibility provider name (`openrouter`). */
  name: z.string().nullable(),
  label: z.string().nullable(),
  maskedKey: z.string(),
  baseUrl: z.string().nullable(),
  prefix: z.string().nullable(),
  models: z.array(z.object({ name: z.string(), alias: z.string().nullable() })),
  disabled: z.boolean(),
});
export type KeyEntry = z.infer<typeof keyEntrySchema>;

export const keyEntryInputSchema = z.strictObject({
  section: keySectionSchema,
  apiKey: z.string().trim().min(1).max(4096),
  baseUrl: z.url().optional(),
  prefix: z.string().trim().max(64).optional(),
  label: z.string().trim().max(128).optional(),
  name: z.string().trim().max(64).optional(),
  models: z.array(z.strictObject({ name: z.string().min(1), alias: z.string().optional() })).optional(),
});
export type KeyEntryInput = z.infer<typeof keyEntryInputSchema>;

export const providerInfoSchema = z.object({
  id: providerIdSchema,
  displayName: z.string(),
  kind: z.enum(['api-key', 'oauth']),
  /** How sign-in works for OAuth providers; `none` for key providers. */
  signIn: z.enum(['browser', 'device', 'none']),
  protocol: z.string(),
  /** Config section for key providers. */
  keySection: keySectionSchema.nullable(),
  defaultBaseUrl: z.string(),
  /** Model ids to offer (mapping wizard): discovered from the provider's accounts first, then the built-in catalog. */
  defaultModels: z.array(z.string()),
  /** The same ids with where each came from and what is known about it. */
  models: z
    .array(
      z.object({
        id: z.string(),
        source: z.enum(['catalog', 'discovered', 'config']),
        contextWindow: z.number().optional(),
        maxOutputTokens: z.number().optional(),
        capabilities: z.object({ tools: z.boolean().optional(), vision: z.boolean().optional(), reasoning: z.boolean().optional() }).optional(),
      }),
    )
    .optional(),
});
export type ProviderInfo = z.infer<typeof providerInfoSchema>;
