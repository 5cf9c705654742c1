import { z } from 'zod';
import { teamConfigShape } from './team-schema';

/**
 * config.yaml, with CLIProxyAPI's key names wherever the feature is the same, so a CLIProxyAPI
 * config loads unchanged. Objects are loose: unknown keys survive a load/save round trip and
 * are reported as warnings by the loader, never as failures.
 */

const modelAlias = z.looseObject({
  name: z.string().min(1),
  alias: z.string().optional(),
  fork: z.boolean().optional(),
  /** Reasoning level for this alias (`high`, `8192`, …). */
  reasoning: z.union([z.string(), z.number()]).optional(),
});

const headers = z.record(z.string(), z.string());

const keyEntryBase = {
  'api-key': z.string().optional(),
  'base-url': z.string().optional(),
  prefix: z.string().optional(),
  'proxy-url': z.string().optional(),
  headers: headers.optional(),
  models: z.array(modelAlias).optional(),
  'excluded-models': z.array(z.string()).optional(),
  priority: z.number().int().optional(),
  weight: z.number().int().min(0).max(1_000_000).optional(),
  disabled: z.boolean().optional(),
  label: z.string().optional(),
};

export const apiKeyEntrySchema = z.looseObject({ ...keyEntryBase, 'api-key': z.string().min(1) });

export const openaiCompatEntrySchema = z.looseObject({
  ...keyEntryBase,
  name: z.string().optional(),
  'base-url': z.string().min(1),
  'api-key-entries': z
    .array(z.looseObject({ 'api-key': z.string().min(1), 'proxy-url': z.string().optional() }))
    .optional(),
  /** Legacy form, still parsed. */
  'api-keys': z.array(z.string()).optional(),
});

const payloadModelMatch = z.looseObject({
  name: z.string(),
  protocol: z.string().optional(),
});
const payloadRule = z.looseObject({
  models: z.array(payloadModelMatch).default([]),
  params: z.record(z.string(), z.unknown()).optional(),
});
const payloadFilterRule = z.looseObject({
  models: z.array(payloadModelMatch).default([]),
  params: z.array(z.string()).optional(),
});

export const routingStrategies = ['round-robin', 'fill-first', 'weighted-round-robin'] as const;

const origin = z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like https://host[:port]');

export const configSchema = z.looseObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8317),
  'api-keys': z.array(z.string().min(1)).default([]),
  'auth-dir': z.string().optional(),
  debug: z.boolean().default(false),
  'proxy-url': z.string().default(''),
  'request-retry': z.number().int().min(0).default(3),
  'max-retry-interval': z.number().min(0).default(30),
  'max-retry-credentials': z.number().int().min(0).default(0),
  'disable-cooling': z.boolean().default(false),
  'force-model-prefix': z.boolean().default(false),
  'body-limit-mb': z.number().positive().default(50),
  'upload-limit-mb': z.number().positive().default(25),
  'allowed-origins': z.array(z.string()).default([]),
  /** Limits on client connections (slowloris): header and whole-request read time, idle keep-alive, connection cap. */
  'client-timeouts': z
    .looseObject({
      'headers-seconds': z.number().positive().default(30),
      'body-seconds': z.number().positive().default(300),
      'keep-alive-seconds': z.number().positive().default(65),
      'max-connections': z.number().int().positive().default(1024),
    })
    .default({ 'headers-seconds': 30, 'body-seconds': 300, 'keep-alive-seconds': 65, 'max-connections': 1024 }),
  routing: z
    .looseObject({
      strategy: z.enum(routingStrategies).default('round-robin'),
      'session-affinity': z.boolean().default(false),
      'session-affinity-ttl': z.union([z.string(), z.number()]).default('1h'),
    })
    .default({ strategy: 'round-robin', 'session-affinity': false, 'session-affinity-ttl': '1h' }),
  // Kept for CLIProxyAPI configs; not acted on (quota failures fail over to the next account). Turning
  // either off gets a "not supported" warning at load (engine/config/unsupported.ts).
  'quota-exceeded': z
    .looseObject({
      'switch-project': z.boolean().default(true),
      'switch-preview-model': z.boolean().default(true),
    })
    .default({ 'switch-project': true, 'switch-preview-model': true }),
  'gemini-api-key': z.array(apiKeyEntrySchema).default([]),
  'claude-api-key': z.array(apiKeyEntrySchema).default([]),
  'codex-api-key': z.array(apiKeyEntrySchema).default([]),
  'vertex-api-key': z.array(apiKeyEntrySchema).default([]),
  'openai-compatibility': z.array(openaiCompatEntrySchema).default([]),
  'oauth-excluded-models': z.record(z.string(), z.array(z.string())).default({}),
  'oauth-model-alias': z.record(z.string(), z.array(modelAlias)).default({}),
  payload: z
    .looseObject({
      default: z.array(payloadRule).default([]),
      override: z.array(payloadRule).default([]),
      filter: z.array(payloadFilterRule).default([]),
      'default-raw': z.array(payloadRule).optional(),
      'override-raw': z.array(payloadRule).optional(),
    })
    .default({ default: [], override: [], filter: [] }),
  'remote-management': z
    .looseObject({
      'secret-key': z.string().default(''),
      'allow-remote': z.boolean().default(false),
    })
    .default({ 'secret-key': '', 'allow-remote': false }),
  streaming: z
    .looseObject({
      'keepalive-seconds': z.number().min(0).default(0),
      'bootstrap-retries': z.number().int().min(0).default(0),
    })
    .default({ 'keepalive-seconds': 0, 'bootstrap-retries': 0 }),
  'usage-sqlite': z
    .looseObject({ enable: z.boolean().default(true), 'db-path': z.string().optional() })
    .default({ enable: true }),
  'usage-retention-days': z.number().int().min(0).default(0),
  'secret-store': z.enum(['keychain', 'file']).optional(),
  quota: z
    .looseObject({
      'poll-minutes': z.number().min(1).default(10),
      'poll-budget-per-hour': z.number().int().min(0).default(12),
    })
    .default({ 'poll-minutes': 10, 'poll-budget-per-hour': 12 }),
  'host-overrides': z
    .record(z.string(), origin)
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (!origin.safeParse(key).success) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" must be an origin like https://host[:port]` });
      }
    })
    .default({}),
  'request-timeout-seconds': z.number().positive().default(600),
  'connect-timeout-seconds': z.number().positive().default(15),
  /** Longest silence inside an upstream stream; defaults to `request-timeout-seconds`. */
  'stream-idle-timeout-seconds': z.number().positive().optional(),
  /** Memory bounds for what upstreams send (a 200 MB answer or an endless line must not be buffered). */
  limits: z
    .looseObject({
      'upstream-body-mb': z.number().positive().default(64),
      'sse-line-kb': z.number().positive().default(8192),
    })
    .default({ 'upstream-body-mb': 64, 'sse-line-kb': 8192 }),
  ...teamConfigShape,
});

export type SwitchyardConfig = z.infer<typeof configSchema>;
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
export type OpenAICompatEntry = z.infer<typeof openaiCompatEntrySchema>;
export type ModelAlias = z.infer<typeof modelAlias>;

/** Keys this version understands at the top level (anything else is warned about). */
export const knownTopLevelKeys: ReadonlySet<string> = new Set([
  ...Object.keys(configSchema.shape),
  // CLIProxyAPI keys we accept and ignore without a warning
  'tls',
  'logging-to-file',
  'logs-max-total-size-mb',
  'error-logs-max-files',
  'request-log',
  'usage-statistics-enabled',
  'commercial-mode',
  'pprof',
  'passthrough-headers',
  'ws-auth',
  'nonstream-keepalive-interval',
  'auth-auto-refresh-workers',
  'claude-header-defaults',
  'codex-header-defaults',
  'generative-language-api-key',
  'transient-error-cooldown-seconds',
]);
