/**
 * Updates through electron-updater and the `publish` section of electron-builder.yml (GitHub
 * releases). Checks on a schedule and from the menu; downloads in the background, but installs
 * only when the user says so ("Restart to update"), never silently on quit.
 */
import { shellStrings, type ShellStrings } from './i18n';
import type { UpdateStatus } from './tray-model';

/** The slice of electron-updater's AppUpdater we use (its `autoUpdater` fits). */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowPrerelease?: boolean;
  on(event: 'update-available' | 'update-downloaded', cb: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', cb: (info: unknown) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdaterUi {
  /** Tell the user something (manual checks only: "up to date", errors). */
  info(title: string, message: string): Promise<void>;
  /** Ask before restarting; true = go ahead. */
  confirm(title: string, message: string, ok: string): Promise<boolean>;
  updateReady(version: string): void;
  changed(): void;
}

export interface UpdaterOptions {
  /** Only packaged builds can update (dev runs have no app-update.yml). */
  enabled: boolean;
  intervalMs?: number;
  firstCheckMs?: number;
  beforeInstall?: () => Promise<void>;
  log?: (msg: string) => void;
  /** Dialog text in the app's language (English when absent). */
  strings?: () => ShellStrings;
}

export class UpdateController {
  private status: UpdateStatus = { kind: 'idle' };
  private manual = false;
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;

  constructor(
    private readonly updater: UpdaterLike,
    private readonly ui: UpdaterUi,
    private readonly o: UpdaterOptions,
  ) {
    updater.autoDownload = true;
    // Installing on quit would replace the app without asking; the user picks the moment.
    updater.autoInstallOnAppQuit = false;
    updater.on('update-available', (info) => this.set({ kind: 'available', version: info.version }));
    updater.on('update-not-available', () => {
      this.set({ kind: 'idle' });
      if (this.manual) void this.ui.info(this.t.noUpdates, this.t.noUpdatesBody);
      this.manual = false;
    });
    updater.on('update-downloaded', (info) => {
      this.set({ kind: 'ready', version: info.version });
      this.manual = false;
      this.ui.updateReady(info.version);
    });
    updater.on('error', (err) => {
      this.o.log?.(`update check failed: ${err?.message ?? String(err)}`);
      if (this.status.kind !== 'ready') this.set({ kind: 'idle' });
      if (this.manual) void this.ui.info(this.t.updateCheckFailed, err?.message ?? String(err));
      this.manual = false;
    });
  }

  private get t(): ShellStrings {
    return this.o.strings?.() ?? shellStrings('en');
  }

  get state(): UpdateStatus {
    return this.status;
  }

  private set(s: UpdateStatus): void {
    this.status = s;
    this.ui.changed();
  }

  /** From the menu: the user hears back even when there is nothing new. */
  async checkNow(): Promise<void> {
    if (!this.o.enabled) {
      await this.ui.info(this.t.updates, this.t.updatesPackagedOnly);
      return;
    }
    if (this.status.kind === 'checking' || this.status.kind === 'available') return;
    if (this.status.kind === 'ready') return this.install();
    this.manual = true;
    await this.check();
  }

  private async check(): Promise<void> {
    this.set({ kind: 'checking' });
    try {
      await this.updater.checkForUpdates();
    } catch (err) {
      // electron-updater also emits 'error'; make sure the status never sticks at "checking".
      if (this.status.kind === 'checking') this.set({ kind: 'idle' });
      this.o.log?.(`update check failed: ${(err as Error).message}`);
    }
  }

  /** Ask, then quit and install. */
  async install(): Promise<void> {
    if (this.status.kind !== 'ready') return;
    const t = this.t;
    const ok = await this.ui.confirm(t.restartToUpdate(this.status.version), t.updateConfirmBody(this.status.version), t.restartNow);
    if (!ok) return;
    await this.o.beforeInstall?.();
    this.updater.quitAndInstall(false, true);
  }

  /** Background checks: once shortly after launch, then every `intervalMs`. Silent. */
  startSchedule(): void {
    if (!this.o.enabled) return;
    const run = () => {
      if (this.status.kind === 'idle') void this.check();
    };
    this.first = setTimeout(run, this.o.firstCheckMs ?? 60_000);
    this.timer = setInterval(run, this.o.intervalMs ?? 6 * 3600_000);
    this.first.unref?.();
    this.timer.unref?.();
  }

  stop(): void {
    if (this.first) clearTimeout(this.first);
    if (this.timer) clearInterval(this.timer);
  }
}

/** Load electron-updater lazily (it touches Electron at import time; keep startup lean). */
export async function loadAutoUpdater(): Promise<UpdaterLike> {
  const mod = (await import('electron-updater')) as unknown as { autoUpdater?: UpdaterLike; default?: { autoUpdater: UpdaterLike } };
  const updater = mod.autoUpdater ?? mod.default?.autoUpdater;
  if (!updater) throw new Error('electron-updater did not export autoUpdater');
  return updater;
}
