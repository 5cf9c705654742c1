import type { Notification, Tray } from './index';

/** What the shell did to the fake, for assertions; reset between tests with `resetFake()`. */
export interface LoginItemEntry {
  openAtLogin: boolean;
  openAsHidden: boolean;
  path: string;
  args: string[];
}

export const fake = {
  /** The platform the fake behaves as (dock, notifications, login items); tests may change it. */
  platform: process.platform as NodeJS.Platform,
  trays: [] as Tray[],
  notifications: [] as Notification[],
  openedExternal: [] as string[],
  clipboard: '',
  /** The last login item written (what the OS keeps for this executable). */
  loginItem: { openAtLogin: false, openAsHidden: false } as { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] },
  /** Windows keeps one Run entry per executable; its args are part of the entry. */
  loginItems: new Map<string, LoginItemEntry>(),
  singleInstanceLock: true,
  quitCalls: 0,
  /** Events the app went through while quitting, in order (`before-quit`, `close:<id>`, `will-quit`, `quit`). */
  quitLog: [] as string[],
  /** True once a quit ran to the end (the process would be gone). */
  quitted: false,
  exitCodes: [] as number[],
  dialogs: [] as Array<{ options: Record<string, unknown>; response: number }>,
  /** What the next `dialog.showMessageBox` answers (button index). */
  nextDialogResponse: 0,
  dockHidden: false,
  /** Linux: whether a notification daemon answers on D-Bus (libnotify). */
  linuxNotificationDaemon: true,
  /** Windows: toasts need an AppUserModelID; without it `show()` displays nothing. */
  appUserModelId: undefined as string | undefined,
  /** URLs whose load fails, with Chromium's error (e.g. `ERR_CONNECTION_REFUSED`). */
  failingLoads: new Map<string, string>(),
};
