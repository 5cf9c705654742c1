/** Fake `BrowserWindow`, `webContents` and `WebFrameMain`. */
import { EventEmitter } from 'node:events';
import { FakeSession } from './session';

let nextId = 1;

export class FakeWebFrameMain {
  readonly routingId = nextId++;
  constructor(
    public url: string,
    readonly parent: FakeWebFrameMain | null = null,
  ) {}
  get origin(): string {
    try {
      return new URL(this.url).origin;
    } catch {
      return 'null';
    }
  }
  /** Test helper: a child frame (iframe) of this frame. */
  child(url: string): FakeWebFrameMain {
    return new FakeWebFrameMain(url, this);
  }
}

type OpenHandler = (details: { url: string; frameName?: string; disposition?: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = new FakeWebFrameMain('about:blank');
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: OpenHandler | null = null;
  destroyed = false;
  readonly session: FakeSession;
  constructor(session?: FakeSession) {
    super();
    this.session = session ?? new FakeSession();
  }
  setWindowOpenHandler(fn: OpenHandler): void {
    this.windowOpenHandler = fn;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  openDevTools(): void {}
  /** Test helper: the page tries to navigate; returns true when a guard prevented it. */
  tryNavigate(url: string, event = 'will-navigate'): boolean {
    let prevented = false;
    const ev = { url, isMainFrame: true, preventDefault: () => void (prevented = true) };
    this.emit(event, ev, url);
    return prevented;
  }
}

export const hooks = {
  webContentsCreated: (_wc: FakeWebContents): void => {},
  defaultSession: (): FakeSession | undefined => undefined,
  /** Electron refuses to make a window before the app is ready. */
  assertReady: (_what: string): void => {},
  /** The last window went away (app emits `window-all-closed` unless it is quitting). */
  allClosed: (): void => {},
  /** Chromium's error for a URL that fails to load, if any. */
  loadFailure: (_url: string): string | undefined => undefined,
};

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  static fromWebContents(wc: FakeWebContents): BrowserWindow | null {
    return BrowserWindow.all.find((w) => w.webContents === wc) ?? null;
  }
  readonly id = nextId++;
  readonly webContents: FakeWebContents;
  visible: boolean;
  destroyed = false;
  bounds: { x: number; y: number; width: number; height: number };
  loaded: { url?: string; file?: string } = {};
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> } = {}) {
    super();
    hooks.assertReady('BrowserWindow');
    this.webContents = new FakeWebContents(hooks.defaultSession());
    this.visible = options.show !== false;
    this.bounds = { x: 0, y: 0, width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    BrowserWindow.all.push(this);
    hooks.webContentsCreated(this.webContents);
  }
  /**
   * Like Electron: resolves when the page finished loading (`did-finish-load`, then
   * `ready-to-show` for the first paint), rejects when it failed (`did-fail-load`), e.g. a dev
   * server that is not running.
   */
  async loadURL(url: string): Promise<void> {
    this.loaded = { url };
    await Promise.resolve();
    if (this.destroyed) throw new Error(`ERR_ABORTED (-3) loading '${url}'`);
    const failure = hooks.loadFailure(url);
    if (failure) {
      this.webContents.emit('did-fail-load', {}, -102, failure, url, true);
      throw Object.assign(new Error(`${failure} (-102) loading '${url}'`), { code: failure, errno: -102, url });
    }
    this.webContents.mainFrame.url = url;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  async loadFile(file: string): Promise<void> {
    return this.loadURL(`file://${file}`).finally(() => (this.loaded = { file }));
  }
  show(): void {
    this.visible = true;
    this.emit('show');
  }
  showInactive(): void {
    this.show();
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {
    this.emit('focus');
  }
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible && !this.destroyed;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setBounds(b: Partial<BrowserWindow['bounds']>): void {
    this.bounds = { ...this.bounds, ...b };
  }
  getBounds(): BrowserWindow['bounds'] {
    return this.bounds;
  }
  setPosition(x: number, y: number): void {
    this.bounds = { ...this.bounds, x, y };
  }
  setAlwaysOnTop(): void {}
  setVisibleOnAllWorkspaces(): void {}
  /** Like a click on the close button: listeners may preventDefault to keep the window. Returns whether it closed (fake only). */
  close(): boolean {
    if (this.destroyed) return true;
    let prevented = false;
    this.emit('close', { preventDefault: () => void (prevented = true) });
    if (!prevented) this.destroy();
    return !prevented;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) hooks.allClosed();
  }
}

export const webContents = {
  getAllWebContents: (): FakeWebContents[] => BrowserWindow.getAllWindows().map((w) => w.webContents),
};
