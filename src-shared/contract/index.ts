import { z } from 'zod';
import {
  accountSummarySchema,
  aliasInputSchema,
  aliasSchema,
  apiKeyInfoSchema,
  emptyRequest,
  exclusionInputSchema,
  exclusionSchema,
  idSchema,
  keyEntryInputSchema,
  keySectionSchema,
  logEntrySchema,
  mappingsSchema,
  payloadRuleInputSchema,
  payloadRuleSchema,
  providerIdSchema,
  providerInfoSchema,
  quotaSnapshotSchema,
  quotaThresholdEventSchema,
  quotaThresholdsSchema,
  recentRequestSchema,
  routePreviewSchema,
  seriesPointSchema,
  seriesRequestSchema,
  settingsPatchSchema,
  settingsSchema,
  settingsUpdateResultSchema,
  signInModeSchema,
  signInProgressSchema,
  signInResultSchema,
  signInStartSchema,
  statusSchema,
  testPromptRequestSchema,
  testPromptResultSchema,
  timeRangeSchema,
  usageTotalsSchema,
  accountQuotaSchema,
  costBasisRowSchema,
  keyEntryDetailSchema,
  keyEntryPatchSchema,
  keyTestRequestSchema,
  keyTestResultSchema,
} from '../domain';

const byId = z.strictObject({ id: idSchema });
const removed = z.object({ removed: z.boolean() });

/**
 * The UI <-> engine contract: every channel the renderer may invoke (`request` -> `response`)
 * and every event it may subscribe to (`payload`). Names are `app:<domain>:<action>` so a
 * transport can reject anything unknown by name alone. The same handlers serve Electron IPC and
 * the HTTP bridge (`/v0/management/ui/<channel>`). Secrets never cross it, with one deliberate
 * exception: the user's own local-server API key on an explicit reveal/generate.
 */
export const contract = {
  // status & engine lifecycle
  'app:status:get': { request: emptyRequest, response: statusSchema },
  'app:status:changed': { payload: statusSchema },
  'app:engine:start': { request: emptyRequest, response: statusSchema },
  'app:engine:stop': { request: emptyRequest, response: statusSchema },
  'app:engine:restart': { request: emptyRequest, response: statusSchema },

  // providers & accounts
  'app:providers:list': { request: emptyRequest, response: z.object({ providers: z.array(providerInfoSchema) }) },
  'app:accounts:list': { request: emptyRequest, response: z.object({ accounts: z.array(accountSummarySchema) }) },
  'app:accounts:changed': { payload: z.object({ accounts: z.array(accountSummarySchema) }) },
  'app:accounts:remove': { request: byId, response: removed },
  'app:accounts:set-enabled': {
    request: z.strictObject({ id: idSchema, enabled: z.boolean() }),
    response: accountSummarySchema,
  },
  'app:accounts:update': {
    request: z.strictObject({
      id: idSchema,
      priority: z.number().int().min(-1000).max(1000).optional(),
      prefix: z.string().trim().max(64).regex(/^[A-Za-z0-9._-]*$/).nullable().optional(),
      weight: z.number().int().min(0).max(1_000_000).optional(),
    }),
    response: accountSummarySchema,
  },
  /** Clear the account's cooldowns now (the "Reset" next to "Cooling until …"). */
  'app:accounts:reset-cooldown': { request: byId, response: accountSummarySchema },
  'app:accounts:sign-in-start': {
    request: z.strictObject({
      provider: providerIdSchema,
      /** `manual`: do not open a browser, the user pastes the redirect URL. */
      mode: signInModeSchema.optional(),
      /** Re-sign an existing account (needs-sign-in). */
      accountId: idSchema.optional(),
    }),
    response: signInStartSchema,
  },
  'app:accounts:sign-in-paste-redirect': {
    request: z.strictObject({ flowId: idSchema, redirectUrl: z.string().trim().min(1).max(8192) }),
    response: z.object({ accepted: z.boolean() }),
  },
  'app:accounts:sign-in-cancel': {
    request: z.strictObject({ flowId: idSchema }),
    response: z.object({ cancelled: z.boolean() }),
  },
  'app:accounts:sign-in-progress': { payload: signInProgressSchema },
  'app:accounts:sign-in-result': { payload: signInResultSchema },
  'app:keys:list': {
    request: z.strictObject({ section: keySectionSchema.optional() }).default({}),
    response: z.object({ entries: z.array(keyEntryDetailSchema) }),
  },
  'app:keys:add': { request: keyEntryInputSchema, response: keyEntryDetailSchema },
  'app:keys:remove': { request: byId, response: removed },
  /** Edit one entry in place (its id changes with its key or base URL); duplicates are refused. */
  'app:keys:update': { request: z.strictObject({ id: idSchema, patch: keyEntryPatchSchema }), response: keyEntryDetailSchema },
  /** One tiny request through this entry alone (routing bypassed): status, latency, upstream message. */
  'app:keys:test': { request: keyTestRequestSchema, response: keyTestResultSchema },

  // quota
  'app:quota:get': { request: emptyRequest, response: quotaSnapshotSchema },
  'app:quota:refresh': {
    request: z.strictObject({ accountId: idSchema.optional() }).default({}),
    response: quotaSnapshotSchema,
  },
  'app:quota:set-thresholds': { request: quotaThresholdsSchema, response: quotaThresholdsSchema },
  /** Snapshots of the accounts whose windows changed (throttled by the engine). */
  'app:quota:updated': { payload: z.object({ accounts: z.array(accountQuotaSchema), at: z.number() }) },
  'app:quota:threshold': { payload: quotaThresholdEventSchema },

  // usage & logs
  'app:usage:series': { request: seriesRequestSchema, response: z.object({ points: z.array(seriesPointSchema) }) },
  'app:usage:totals': { request: timeRangeSchema, response: usageTotalsSchema },
  /** Tokens per account × model: per-account cost estimates at the user's model prices. */
  'app:usage:cost-basis': { request: timeRangeSchema, response: z.object({ rows: z.array(costBasisRowSchema) }) },
  'app:usage:recent': { request: recentRequestSchema, response: z.object({ entries: z.array(logEntrySchema) }) },
  'app:logs:request-logged': { payload: logEntrySchema },

  // mappings
  'app:mappings:list': { request: emptyRequest, response: mappingsSchema },
  'app:mappings:alias-create': { request: aliasInputSchema, response: aliasSchema },
  'app:mappings:alias-update': {
    request: z.strictObject({ id: idSchema, alias: aliasInputSchema }),
    response: aliasSchema,
  },
  'app:mappings:alias-delete': { request: byId, response: removed },
  'app:mappings:exclusion-add': { request: exclusionInputSchema, response: exclusionSchema },
  'app:mappings:exclusion-delete': { request: byId, response: removed },
  'app:mappings:payload-rule-save': {
    request: z.strictObject({ id: idSchema.optional(), rule: payloadRuleInputSchema }),
    response: payloadRuleSchema,
  },
  'app:mappings:payload-rule-delete': { request: byId, response: removed },
  'app:mappings:preview': {
    request: z.strictObject({ model: z.string().trim().min(1).max(300) }),
    response: routePreviewSchema,
  },
  'app:mappings:test': { request: testPromptRequestSchema, response: testPromptResultSchema },

  // settings
  'app:settings:get': { request: emptyRequest, response: settingsSchema },
  'app:settings:update': { request: settingsPatchSchema, response: settingsUpdateResultSchema },
  'app:settings:changed': { payload: settingsSchema },
  'app:settings:api-key-generate': {
    request: z.strictObject({ label: z.string().trim().max(64).optional() }).default({}),
    response: z.object({ key: apiKeyInfoSchema, secret: z.string() }),
  },
  'app:settings:api-key-revoke': { request: byId, response: removed },
  'app:settings:api-key-reveal': { request: byId, response: z.object({ secret: z.string() }) },
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;

export type InvokeChannel = {
  [K in ChannelName]: Contract[K] extends { request: z.ZodType; response: z.ZodType } ? K : never;
}[ChannelName];
export type EventChannel = {
  [K in ChannelName]: Contract[K] extends { payload: z.ZodType } ? K : never;
}[ChannelName];

type InvokeDef<K extends InvokeChannel> = Contract[K] extends { request: infer Rq extends z.ZodType; response: infer Rs extends z.ZodType }
  ? { request: Rq; response: Rs }
  : never;
type EventDef<K extends EventChannel> = Contract[K] extends { payload: infer P extends z.ZodType } ? P : never;

/** What a caller may send (defaults not yet applied). */
export type RequestInput<K extends InvokeChannel> = z.input<InvokeDef<K>['request']>;
/** What a handler receives (validated, defaults applied). */
export type Request<K extends InvokeChannel> = z.output<InvokeDef<K>['request']>;
/** What a handler returns / a caller receives. */
export type Response<K extends InvokeChannel> = z.output<InvokeDef<K>['response']>;
export type EventPayload<K extends EventChannel> = z.output<EventDef<K>>;

/** Handler context: which transport the call came through (for logging and desktop-only checks). */
export interface HandlerContext {
  transport: 'ipc' | 'http' | 'test';
}

/** One handler per invoke channel; a missing or extra handler is a type error. */
export type Handlers = {
  [K in InvokeChannel]: (req: Request<K>, ctx: HandlerContext) => Promise<Response<K>>;
};

export const channelNames = Object.keys(contract) as ChannelName[];
export const invokeChannels = channelNames.filter((k) => 'request' in contract[k]) as InvokeChannel[];
export const eventChannels = channelNames.filter((k) => 'payload' in contract[k]) as EventChannel[];

export function isInvokeChannel(name: string): name is InvokeChannel {
  return (invokeChannels as string[]).includes(name);
}
export function isEventChannel(name: string): name is EventChannel {
  return (eventChannels as string[]).includes(name);
}

export * from './envelope';
export * from './invoke';
