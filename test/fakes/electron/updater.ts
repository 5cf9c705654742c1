/**
 * A stand-in for electron-updater's `autoUpdater` with its semantics (BaseUpdater/MacUpdater):
 * a check finds `next`, downloads it when `autoDownload`, and `quitAndInstall()` starts the
 * installer and quits through the app's quit machinery on the next turn (`setImmediate` →
 * `before-quit-for-update` → `app.quit()`); on macOS Squirrel quits natively (windows close
 * before `before-quit`). The update counts as installed only when the app really quits.
 * Without a downloaded update, `quitAndInstall` emits `error` and does nothing.
 */
import { EventEmitter } from 'node:events';
import type { FakeApp } from './app';
import { fake } from './state';

export class FakeAppUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowPrerelease = false;
  checks = 0;
  /** What the next check finds. */
  next: { version: string } | null = null;
  downloaded: { version: string } | null = null;
  /** `quitAndInstall` arguments, once per accepted call. */
  quitAndInstallCalls: unknown[][] = [];
  /** Set when the app quit with an installer pending: the new version runs next. */
  installed: { version: string; silent: boolean } | null = null;
  private installing = false;

  constructor(
    private readonly app: FakeApp,
    private readonly nativeUpdater: EventEmitter,
  ) {
    super();
    app.once('quit', (_e: unknown, exitCode: number) => {
      if (!this.downloaded) return;
      if (this.installing) this.installed = { version: this.downloaded.version, silent: false };
      else if (this.autoInstallOnAppQuit && exitCode === 0) this.installed = { version: this.downloaded.version, silent: true };
    });
  }

  async checkForUpdates(): Promise<unknown> {
    this.checks++;
    this.emit('checking-for-update');
    const found = this.next;
    if (!found) {
      this.emit('update-not-available', { version: '0.1.0' });
      return null;
    }
    this.emit('update-available', found);
    if (this.autoDownload) {
      this.downloaded = found;
      this.emit('update-downloaded', { ...found, downloadedFile: `/tmp/switchyard-update-${found.version}` });
    }
    return { updateInfo: found };
  }

  quitAndInstall(isSilent = false, isForceRunAfter = false): void {
    if (this.installing) return; // "install call ignored: quitAndInstallCalled is set to true"
    if (!this.downloaded) {
      this.emit('error', new Error("No update filepath provided, can't quit and install"));
      return;
    }
    this.installing = true;
    this.quitAndInstallCalls.push([isSilent, isForceRunAfter]);
    setImmediate(() => {
      if (fake.platform === 'darwin') return this.app.quitForUpdate();
      this.nativeUpdater.emit('before-quit-for-update');
      this.app.quit();
    });
  }
}
