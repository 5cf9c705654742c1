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

export const hooks = { webContentsCreated: (_wc: FakeWebContents): void => {}, defaultSession: (): FakeSession | undefined => undefined };

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
    this.webContents = new FakeWebContents(hooks.defaultSession());
    this.visible = options.show !== false;
    this.bounds = { x: 0, y: 0, width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    BrowserWindow.all.push(this);
    hooks.webContentsCreated(this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = { url };
    this.webContents.mainFrame.url = url;
  }
  async loadFile(file: string): Promise<void> {
    this.loaded = { file };
    this.webContents.mainFrame.url = `file://${file}`;
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
  /** Like a click on the close button: listeners may preventDefault to keep the window. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => void (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const webContents = {
  getAllWebContents: (): FakeWebContents[] => BrowserWindow.getAllWindows().map((w) => w.webContents),
};
