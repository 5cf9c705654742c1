/**
 * The narrow view of the engine the shell needs. The shell depends on this, not on the engine
 * classes, so it can be tested against a plain fake object; `engine-adapter.ts` maps the real
 * control facade onto it. Nothing here carries a secret.
 */
export type ShellEngineState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error';

export type ShellAccountStatus = 'ok' | 'cooling' | 'needs-sign-in' | 'disabled' | 'error';

export interface ShellAccount {
  id: string;
  provider: string;
  /** E-mail or readable name; never a token. */
  label: string;
  status: ShellAccountStatus;
}

export interface ShellQuotaWindow {
  /** Stable per account (`5h`, `weekly`, `model:…`). */
  id: string;
  /** Short label for menus (`5h`, `Weekly`). */
  label: string;
  /** 0–100. */
  usedPercent: number;
  /** Epoch ms, null when unknown. */
  resetAt: number | null;
  /**
   * A balance (Codex credits, Claude extra usage), not a window that runs out: shown as a
   * balance, never drives the tray gauge, the tightest window or a warning.
   */
  isBalance?: boolean;
  /** What is left of a balance, in the provider's unit, when it says. */
  balance?: number;
}

export interface ShellAccountQuota {
  accountId: string;
  windows: ShellQuotaWindow[];
}

export interface ShellProvider {
  id: string;
  displayName: string;
  /** Accounts are added by signing in (OAuth / device code) rather than by config keys. */
  signIn: boolean;
}

export type ShellEngineEvent =
  | { type: 'state'; state: ShellEngineState }
  | { type: 'accounts' }
  | { type: 'quota' }
  | { type: 'settings' }
  | { type: 'error'; code: 'port-busy' | 'proxy-error'; message: string }
  | { type: 'sign-in'; provider: string; status: 'started' | 'succeeded' | 'failed'; accountLabel?: string; message?: string }
  | ({ type: 'quota-threshold' } & ShellQuotaThreshold);

/** A warning the engine decided on (it owns the thresholds); the shell only displays it. */
export interface ShellQuotaThreshold {
  accountId: string;
  provider: string;
  accountLabel: string;
  windowId: string;
  windowLabel: string;
  level: 'warn' | 'critical';
  percentLeft: number;
  resetAt: number | null;
}

export interface ShellEngine {
  readonly state: ShellEngineState;
  /** `http://127.0.0.1:8317` while running, else undefined. */
  readonly baseUrl: string | undefined;
  /** Listening port while running, else the configured port. */
  readonly port: number;
  /** Last start failure or runtime error, for the status line. */
  readonly lastError: string | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  onEvent(cb: (ev: ShellEngineEvent) => void): () => void;
  accounts(): ShellAccount[];
  quota(): ShellAccountQuota[];
  providers(): ShellProvider[];
  refreshQuotas(): Promise<void>;
  /**
   * Start a provider sign-in: the engine opens its loopback listener and answers with the URL
   * the user must visit. The result arrives later as a `sign-in` event. `opened` = the engine
   * already sent the URL to the system browser (through the shell's validated opener).
   */
  beginSignIn(provider: string): Promise<{ authorizeUrl: string; userCode?: string; opened?: boolean }>;
  /** The language the user chose in the app (the tray and notifications follow it). */
  language?(): 'system' | 'en' | 'zh-CN';
}
