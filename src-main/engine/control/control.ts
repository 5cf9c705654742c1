/**
 * The one surface every front end consumes: the desktop shell (IPC + tray + notifications) and
 * the management/UI bridge (HTTP + SSE). `createControl` (./index.ts) builds it over the engine's
 * facade; nothing here carries a secret.
 */
import type { Contract, HandlerContext, Handlers, Result } from '../../../src-shared/contract';
import type { AccountStatus, EngineState, Language } from '../../../src-shared/domain';
import type { ControlEvents } from './events';

export interface Control {
  /** The UI contract the transports validate against. */
  readonly contract: Contract;
  /** One handler per invoke channel (the type makes a missing one a compile error). */
  readonly handlers: Handlers;
  /** Contract events (validated and stripped like responses). */
  readonly events: ControlEvents;
  /** Validate, run, wrap: what every transport (IPC, HTTP) calls. Never throws. */
  invoke(channel: string, payload: unknown, ctx: HandlerContext): Promise<Result<unknown>>;
  /** Synchronous snapshots and actions for the tray and the notifier (same data the channels return). */
  readonly desktop: DesktopView;
  dispose(): void;
}

/** One account line in the tray. E-mail or readable name; never a token. */
export interface DesktopAccount {
  id: string;
  provider: string;
  label: string;
  status: AccountStatus;
}

export interface DesktopMeterWindow {
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

export interface DesktopAccountQuota {
  accountId: string;
  windows: DesktopMeterWindow[];
}

export interface DesktopProvider {
  id: string;
  displayName: string;
  /** Accounts are added by signing in (OAuth / device code) rather than by config keys. */
  signIn: boolean;
}

/**
 * A quota alert the engine decided on (it owns the thresholds and the reset rule); the shell
 * only displays it. `recovered` = a window the engine had warned about started a new period.
 */
export interface DesktopQuotaAlert {
  accountId: string;
  provider: string;
  accountLabel: string;
  windowId: string;
  windowLabel: string;
  level: 'warn' | 'critical' | 'recovered';
  percentLeft: number;
  resetAt: number | null;
}

export type DesktopEvent =
  | { type: 'state'; state: EngineState }
  | { type: 'accounts' }
  | { type: 'quota' }
  | { type: 'settings' }
  | { type: 'error'; code: 'port-busy' | 'proxy-error'; message: string }
  | { type: 'sign-in'; provider: string; status: 'started' | 'succeeded' | 'failed'; accountLabel?: string; message?: string }
  | ({ type: 'quota-threshold' } & DesktopQuotaAlert);

export interface DesktopView {
  readonly state: EngineState;
  /** `http://127.0.0.1:8317` while running, else undefined. */
  readonly baseUrl: string | undefined;
  /** Listening port while running, else the configured port. */
  readonly port: number;
  /** Last start failure or runtime error, for the status line. */
  readonly lastError: string | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  onEvent(cb: (ev: DesktopEvent) => void): () => void;
  accounts(): DesktopAccount[];
  quota(): DesktopAccountQuota[];
  providers(): DesktopProvider[];
  refreshQuotas(): Promise<void>;
  /**
   * Start a provider sign-in: the engine opens its loopback listener and answers with the URL
   * the user must visit. The result arrives later as a `sign-in` event. `opened` = the engine
   * already sent the URL to the system browser (through the shell's validated opener).
   */
  beginSignIn(provider: string): Promise<{ authorizeUrl: string; userCode?: string; opened?: boolean }>;
  /** The language the user chose in the app (the tray and notifications follow it). */
  language?(): Language;
  /** "Start proxy at launch" (default on). */
  startProxyAtLaunch?(): boolean;
  /** Mirror the tray's "Launch at login" into the preferences the UI shows. */
  setLaunchAtLoginPref?(on: boolean): Promise<void>;
}
