/**
 * The Electron security baseline (reference/model-codebases.md §9): locked-down web
 * preferences, CSP as a response header, navigation and window-open guards on every web
 * contents, and every permission request denied.
 */
import type { App, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAppUrl, isSafeExternalUrl, type AppOrigins } from './urls';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  // React inline style attributes (recharts sizes its SVG that way) need this; scripts stay strict.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The only web preferences our windows get; `preload` is the sole variable. */
export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: true,
  };
}

/** Checks a window's options against the baseline; returns the violations (empty = ok). */
export function baselineViolations(opts: BrowserWindowConstructorOptions): string[] {
  const w = opts.webPreferences ?? {};
  const out: string[] = [];
  if (w.contextIsolation !== true) out.push('contextIsolation must be true');
  if (w.sandbox !== true) out.push('sandbox must be true');
  if (w.nodeIntegration !== false) out.push('nodeIntegration must be false');
  if (w.nodeIntegrationInWorker) out.push('nodeIntegrationInWorker must be off');
  if (w.nodeIntegrationInSubFrames) out.push('nodeIntegrationInSubFrames must be off');
  if (w.webSecurity === false) out.push('webSecurity must stay on');
  if (w.allowRunningInsecureContent) out.push('allowRunningInsecureContent must be off');
  if (w.experimentalFeatures) out.push('experimentalFeatures must be off');
  if (w.enableBlinkFeatures) out.push('enableBlinkFeatures must be unset');
  if (w.webviewTag) out.push('webviewTag must be off');
  return out;
}

export interface GuardOptions extends AppOrigins {
  /** Validated opener for links the UI wants to show in the system browser. */
  openExternal: (url: string) => void;
}

/** Navigation and window-open guards for one web contents. */
export function guardWebContents(contents: WebContents, o: GuardOptions): void {
  const stay = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url, o)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => stay(event, url ?? (event as unknown as { url: string }).url));
  contents.on('will-redirect', (event, url) => stay(event, url ?? (event as unknown as { url: string }).url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // New windows are never created; https links go to the system browser instead.
    if (isSafeExternalUrl(url) && new URL(url).protocol === 'https:') o.openExternal(url);
    return { action: 'deny' };
  });
}

/** Deny every permission request and check; the UI needs none. */
export function denyPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** CSP as a response header on everything the session loads (the meta tag is the fallback). */
export function installCsp(ses: Session): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [CSP];
    callback({ responseHeaders: headers });
  });
}

/** Install the app-wide guards: every web contents created from now on gets them. */
export function installSecurityBaseline(app: App, ses: Session, o: GuardOptions): void {
  denyPermissions(ses);
  // Vite's dev server needs inline scripts and a websocket for hot reload; it is used only
  // unpackaged. Packaged builds always get the strict header.
  if (o.packaged || !o.devServerUrl) installCsp(ses);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, o));
}
