import { z } from 'zod';
import { epochMsSchema, idSchema } from './common';

export const routingStrategySchema = z.enum(['round-robin', 'fill-first', 'weighted-round-robin']);
export const languageSchema = z.enum(['system', 'en', 'zh-CN']);
export type Language = z.infer<typeof languageSchema>;
export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

/** A key clients use to call the local server; shown masked unless the user asks to reveal it. */
export const apiKeyInfoSchema = z.object({
  id: idSchema,
  label: z.string().nullable(),
  masked: z.string(),
  createdAt: epochMsSchema.nullable(),
});
export type ApiKeyInfo = z.infer<typeof apiKeyInfoSchema>;

export const settingsSchema = z.object({
  host: z.string(),
  port: z.number().int().min(0).max(65535),
  apiKeys: z.array(apiKeyInfoSchema),
  routingStrategy: routingStrategySchema,
  requestRetry: z.number().int().min(0),
  maxRetryInterval: z.number().min(0),
  maxRetryCredentials: z.number().int().min(0),
  disableCooling: z.boolean(),
  /** Desktop only; null when headless (not applicable). */
  launchAtLogin: z.boolean().nullable(),
  startProxyAtLaunch: z.boolean().nullable(),
  quotaPolling: z.object({
    enabled: z.boolean(),
    pollMinutes: z.number().min(1),
    budgetPerHour: z.number().int().min(0),
  }),
  language: languageSchema,
  theme: themeSchema,
  allowRemoteManagement: z.boolean(),
  configPath: z.string().nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Every field optional; absent = unchanged. API keys change through their own channels. */
export const settingsPatchSchema = z.strictObject({
  host: z.string().trim().min(1).max(255).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  routingStrategy: routingStrategySchema.optional(),
  requestRetry: z.number().int().min(0).max(20).optional(),
  maxRetryInterval: z.number().min(0).max(3600).optional(),
  maxRetryCredentials: z.number().int().min(0).max(100).optional(),
  disableCooling: z.boolean().optional(),
  launchAtLogin: z.boolean().optional(),
  startProxyAtLaunch: z.boolean().optional(),
  quotaPolling: z
    .strictObject({
      enabled: z.boolean().optional(),
      pollMinutes: z.number().min(1).max(1440).optional(),
      budgetPerHour: z.number().int().min(0).max(3600).optional(),
    })
    .optional(),
  language: languageSchema.optional(),
  theme: themeSchema.optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsUpdateResultSchema = z.object({
  settings: settingsSchema,
  /** Host/port changes take effect on the next engine restart. */
  restartRequired: z.boolean(),
});
