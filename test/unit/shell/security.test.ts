import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { app, BrowserWindow, protocol, readyFake, resetFake, screen, session } from '../../fakes/electron';
import { registerAppScheme, resolveAppFile, serveAppScheme } from '../../../src-main/shell/app-protocol';
import { baselineViolations, CSP, installSecurityBaseline } from '../../../src-main/shell/security';
import { isAppUrl, isSafeExternalUrl } from '../../../src-main/shell/urls';
import { mainWindowOptions, trayWindowOptions, trayWindowPosition, uiUrl, WindowManager } from '../../../src-main/shell/windows';

beforeEach(() => readyFake());

function manager(opened: string[] = []) {
  installSecurityBaseline(app as never, session.defaultSession as never, { packaged: true, openExternal: (u) => opened.push(u) });
  let quitting = false;
  const wm = new WindowManager({ preload: '/app/preload.cjs', packaged: true, isQuitting: () => quitting });
  return { wm, quit: () => (quitting = true), opened };
}

describe('window options meet the security baseline', () => {
  it.each([
    ['main', mainWindowOptions({ preload: '/p.cjs', packaged: true })],
    ['tray', trayWindowOptions({ preload: '/p.cjs', packaged: true })],
  ])('%s window', (_name, opts) => {
    expect(baselineViolations(opts)).toEqual([]);
    expect(opts.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false, preload: '/p.cjs' });
  });

  it('the checker catches a weakened window', () => {
    expect(baselineViolations({ webPreferences: { sandbox: false, contextIsolation: true, nodeIntegration: true, webSecurity: false } })).toEqual([
      'sandbox must be true',
      'nodeIntegration must be false',
      'webSecurity must stay on',
    ]);
  });

  it('the windows actually created use those options and load the app origin', () => {
    const { wm } = manager();
    const main = wm.openMain();
    expect(baselineViolations((main as unknown as BrowserWindow).options)).toEqual([]);
    expect((main as unknown as BrowserWindow).loaded.url).toBe('app://switchyard/index.html');
    wm.toggleTrayWindow({ x: 1000, y: 0, width: 22, height: 22 });
    const tray = wm.trayWindow as unknown as BrowserWindow;
    expect(baselineViolations(tray.options)).toEqual([]);
    expect(tray.loaded.url).toBe('app://switchyard/index.html#/tray');
  });

  it('the dev server is used only when not packaged', () => {
    expect(uiUrl({ packaged: false, devServerUrl: 'http://localhost:5173/' }, '')).toBe('http://localhost:5173/index.html');
    expect(uiUrl({ packaged: true, devServerUrl: 'http://localhost:5173/' }, 'tray')).toBe('app://switchyard/index.html#/tray');
  });
});

describe('guards on every web contents', () => {
  it('navigation away from the app is blocked; in-app navigation is not', () => {
    const { wm } = manager();
    const wc = (wm.openMain() as unknown as BrowserWindow).webContents;
    expect(wc.tryNavigate('https://evil.example/')).toBe(true);
    expect(wc.tryNavigate('file:///etc/passwd')).toBe(true);
    expect(wc.tryNavigate('app://switchyard.evil/index.html')).toBe(true);
    expect(wc.tryNavigate('app://switchyard/index.html#/accounts')).toBe(false);
    expect(wc.tryNavigate('https://evil.example/', 'will-redirect')).toBe(true);
  });

  it('window.open is always denied; https links go to the system browser', () => {
    const { wm, opened } = manager();
    const wc = (wm.openMain() as unknown as BrowserWindow).webContents;
    expect(wc.windowOpenHandler!({ url: 'https://github.com/switchyard' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/switchyard']);
  });

  it('every permission request and check is denied', () => {
    manager();
    const ses = session.defaultSession;
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) (ses.permissionRequestHandler as (...a: unknown[]) => void)(null, p, (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect((ses.permissionCheckHandler as (...a: unknown[]) => boolean)(null, 'media', 'app://switchyard')).toBe(false);
  });

  it('the CSP header is left to Vite only for the unpackaged dev server', () => {
    installSecurityBaseline(app as never, session.defaultSession as never, { packaged: false, devServerUrl: 'http://localhost:5173', openExternal: () => {} });
    expect(session.defaultSession.headersListener).toBeNull();
    installSecurityBaseline(app as never, session.defaultSession as never, { packaged: true, devServerUrl: 'http://localhost:5173', openExternal: () => {} });
    expect(session.defaultSession.headersListener).not.toBeNull();
  });

  it('CSP is set as a response header, replacing any other', () => {
    manager();
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    (session.defaultSession.headersListener as (...a: unknown[]) => void)({ responseHeaders: { 'content-security-policy': ['default-src *'], 'x-a': ['1'] } }, (r: typeof out) => (out = r));
    expect(out!.responseHeaders).toEqual({ 'x-a': ['1'], 'Content-Security-Policy': [CSP] });
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).toContain("connect-src 'self'");
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/);
  });
});

describe('windows stay in the tray', () => {
  it('closing the main window hides it; after Quit it really closes', () => {
    const { wm, quit } = manager();
    const win = wm.openMain() as unknown as BrowserWindow;
    win.close();
    expect(win.isDestroyed()).toBe(false);
    expect(win.isVisible()).toBe(false);
    expect(wm.openMain()).toBe(win as never);
    expect(win.isVisible()).toBe(true);
    quit();
    win.close();
    expect(win.isDestroyed()).toBe(true);
  });

  it('the tray window toggles, hides on blur and sits by the icon', () => {
    const { wm } = manager();
    wm.toggleTrayWindow({ x: 1000, y: 0, width: 22, height: 22 });
    const w = wm.trayWindow as unknown as BrowserWindow;
    expect(w.isVisible()).toBe(true);
    expect(w.getBounds()).toMatchObject({ x: 841, y: 26 });
    w.emit('blur');
    expect(w.isVisible()).toBe(false);
    wm.toggleTrayWindow({ x: 1000, y: 0, width: 22, height: 22 });
    wm.toggleTrayWindow({ x: 1000, y: 0, width: 22, height: 22 });
    expect(w.isVisible()).toBe(false);
    expect(screen.getCursorScreenPoint()).toBeDefined();
  });

  it('tray window position: above a bottom taskbar, clamped to the work area', () => {
    const work = { x: 0, y: 0, width: 1920, height: 1040 };
    expect(trayWindowPosition({ x: 1900, y: 1045, width: 24, height: 24 }, { width: 340, height: 420 }, work)).toEqual({ x: 1580, y: 620 });
  });
});

describe('URLs', () => {
  it('only https, or http on loopback, may open in the system browser', () => {
    expect(isSafeExternalUrl('https://claude.ai/oauth/authorize?x=1')).toBe(true);
    expect(isSafeExternalUrl('http://127.0.0.1:54545/callback')).toBe(true);
    expect(isSafeExternalUrl('http://localhost:1455/auth/callback')).toBe(true);
    expect(isSafeExternalUrl('http://[::1]:8080/')).toBe(true);
    for (const bad of ['http://evil.example/', 'http://127.0.0.1.evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@host/', 'not a url', 'ms-msdt:/id']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });

  it('app origin checks parse the URL (no prefix tricks)', () => {
    const o = { packaged: true };
    expect(isAppUrl('app://switchyard/index.html', o)).toBe(true);
    expect(isAppUrl('app://switchyard.evil/index.html', o)).toBe(false);
    expect(isAppUrl('app://switchyard@evil/index.html', o)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { packaged: true, devServerUrl: 'http://localhost:5173' })).toBe(false);
  });
});

describe('app:// protocol', () => {
  it('serves the renderer directory with the CSP, and nothing outside it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'sy-renderer-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Switchyard</title>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'nope');
    resetFake(); // schemes are registered before the app is ready
    registerAppScheme(protocol as never);
    expect(() => registerAppScheme(protocol as never)).not.toThrow();
    await app.whenReady();
    expect(() => registerAppScheme(protocol as never)).toThrow(/before app is ready/);
    expect(protocol.privileged[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    serveAppScheme(protocol as never, root);
    const index = await protocol.fetch('app://switchyard/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    expect(await index.text()).toContain('Switchyard');
    expect((await protocol.fetch('app://switchyard/assets/app.js')).headers.get('content-type')).toContain('javascript');
    expect((await protocol.fetch('app://switchyard/missing.js')).status).toBe(404);
    expect((await protocol.fetch('app://other/index.html')).status).toBe(404);
    // The URL parser folds %2e%2e segments at the root; the decoded-slash trick is refused.
    expect(resolveAppFile(root, 'app://switchyard/%2e%2e/secret.txt')).toBe(path.join(root, 'secret.txt'));
    expect(resolveAppFile(root, 'app://switchyard/..%2fsecret.txt')).toBeUndefined();
  });
});
