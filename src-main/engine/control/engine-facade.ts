import type { Document } from 'yaml';
import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import type {
  AccountStatus,
  EngineState,
  Language,
  ProviderInfo,
  QuotaThresholdEvent,
  QuotaThresholds,
  RecentFilters,
  RoutePreview,
  SeriesPoint,
  SeriesRequest,
  SignInProgress,
  SignInStart,
  TestPromptResult,
  Theme,
  UsageTotals,
} from '../../../src-shared/domain';
import type { CostBasisRow, KeySection, KeyTestResult } from '../../../src-shared/domain';
import type { Account } from '../providers/provider';
import type { QuotaWindow } from '../quota/window';
import type { UsageRecord } from '../usage/record';

/**
 * What the UI-contract handlers need from the engine. The engine (or a test fake) implements it;
 * the handlers turn it into DTOs, edit the config and never see a secret. Kept to engine-native
 * types (Account, QuotaWindow, UsageRecord, the config store) so the implementation is thin.
 */
export interface EngineFacade {
  readonly version: string;
  readonly mode: 'desktop' | 'headless';
  /** The live config store (`ConfigStore` fits): read `current`, edit through `update`. */
  readonly config: ConfigAccess;
  readonly lifecycle: LifecycleAccess;
  readonly accounts: AccountsAccess;
  readonly signIn: SignInAccess;
  readonly quota: QuotaAccess;
  /** null when `usage-sqlite.enable` is false: usage channels answer empty. */
  readonly usage: UsageAccess | null;
  readonly routing: RoutingAccess;
  /** UI / desktop preferences that are not proxy config (language, theme, login item). */
  readonly prefs: PrefsAccess;
  /** Engine-side happenings the control layer turns into contract events. Returns unsubscribe. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export interface ConfigAccess {
  readonly current: SwitchyardConfig;
  readonly file: string;
  /** Edit the YAML document (comments kept), validate, write atomically, hot-reload. Throws on invalid. */
  update(mutate: (doc: Document) => void): Promise<void>;
}

import type { Persistence } from '../../../src-shared/domain/status';

export interface LifecycleInfo {
  state: EngineState;
  host: string;
  port: number;
  startedAt: number | null;
  error: string | null;
  /** Which stores persist (false = could not open, running from memory). */
  persistence?: Persistence;
}

export interface LifecycleAccess {
  info(): LifecycleInfo;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** An account with its runtime state. `account` never holds a secret. */
export interface AccountView {
  account: Account;
  status: AccountStatus;
  coolingUntil: number | null;
  /** Why it cools (the cooldown's failure kind: `rate_limit`, `server`, `auth`, `manual`, …). */
  coolingReason?: string | null;
  /** OAuth token expiry (epoch ms); null for keys. */
  expiresAt: number | null;
  plan: string | null;
  lastError: string | null;
  /** `…a1b2` for key accounts; null for OAuth. */
  maskedKey: string | null;
}

export interface AccountsAccess {
  list(): AccountView[];
  /** OAuth: delete its secret and metadata; key accounts: remove the config entry. false = unknown id. */
  remove(id: string): Promise<boolean>;
  setEnabled(id: string, enabled: boolean): Promise<boolean>;
  update(id: string, patch: { priority?: number; prefix?: string | null; weight?: number }): Promise<boolean>;
}

export interface SignInAccess {
  /** Begin a flow; progress and the result arrive as `sign-in-progress` / `sign-in-result` events. */
  start(provider: string, opts: { mode?: 'browser' | 'device' | 'manual'; accountId?: string }): Promise<SignInStart>;
  /** Finish an authorize-url flow with the redirect URL the user pasted. false = unknown flow. */
  pasteRedirect(flowId: string, redirectUrl: string): Promise<boolean>;
  cancel(flowId: string): Promise<boolean>;
  providers(): ProviderInfo[];
}

export interface QuotaAccess {
  /** Every account's windows (accounts with none are included with []). */
  snapshot(): Array<{ accountId: string; windows: QuotaWindow[] }>;
  /** Poll now, within the budget; accountId absent = every stale account. */
  refresh(accountId?: string): Promise<void>;
  thresholds(): QuotaThresholds;
  setThresholds(t: QuotaThresholds): Promise<void>;
}

export interface UsageAccess {
  series(q: SeriesRequest): SeriesPoint[];
  totals(range: { from: number; to: number }): UsageTotals;
  recent(limit: number, filters: Omit<RecentFilters, 'onlyErrors'>): UsageRecord[];
  /** Tokens per account × model (per-account cost estimates). Absent = not supported. */
  costBasis?(range: { from: number; to: number }): CostBasisRow[];
}

export interface RoutingAccess {
  preview(model: string): RoutePreview;
  /** One small non-streaming request through the full pipeline (counts as usage, client label `ui-test`). */
  testPrompt(model: string, prompt: string, maxTokens: number): Promise<TestPromptResult>;
  /** Clear every cooldown of one account; returns how many were cleared. Absent = not supported. */
  resetCooldowns?(accountId: string): number;
  /** One tiny request through the first key of one config entry only (the Keys page "Test"). Absent = not supported. */
  testKeyEntry?(at: { section: KeySection; index: number }, model: string | null): Promise<KeyTestResult>;
}

export interface Prefs {
  language: Language;
  theme: Theme;
  /** null when not applicable (headless). */
  launchAtLogin: boolean | null;
  startProxyAtLaunch: boolean | null;
}

export interface PrefsAccess {
  get(): Prefs;
  set(patch: Partial<Prefs>): Promise<void>;
}

export type SignInOutcome = {
  flowId: string;
  provider: string;
  ok: boolean;
  /** The new or re-signed account when ok. */
  accountId: string | null;
  error: { code: string; message: string } | null;
};

export type EngineEvent =
  | { type: 'state' }
  | { type: 'accounts' }
  | { type: 'sign-in-progress'; progress: SignInProgress }
  | { type: 'sign-in-result'; outcome: SignInOutcome }
  | { type: 'quota'; accountIds: string[] }
  | { type: 'quota-threshold'; event: QuotaThresholdEvent }
  | { type: 'request'; record: UsageRecord }
  | { type: 'settings' };
