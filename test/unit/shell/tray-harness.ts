/** A TrayController over the scriptable engine, with hand-driven timers (shared by the tray tests). */
import { fake, type FakeMenu } from '../../fakes/electron';
import { resolveLang, shellStrings } from '../../../src-main/shell/i18n';
import { TrayController } from '../../../src-main/shell/tray';
import type { TrayActions } from '../../../src-main/shell/tray-menu';
import { FakeDesktop, NOW } from './fake-engine';

/** Timers the test advances by hand, so throttling is deterministic. */
export function manualTimers() {
  const queue: Array<{ fn: () => void; at: number; id: number }> = [];
  let now = 0;
  let id = 0;
  return {
    setTimeout: (fn: () => void, ms: number) => {
      queue.push({ fn, at: now + ms, id: ++id });
      return id;
    },
    clearTimeout: (h: unknown) => {
      const i = queue.findIndex((q) => q.id === h);
      if (i >= 0) queue.splice(i, 1);
    },
    advance(ms: number) {
      now += ms;
      for (;;) {
        queue.sort((a, b) => a.at - b.at);
        const next = queue[0];
        if (!next || next.at > now) break;
        queue.shift();
        next.fn();
      }
    },
  };
}

export function setupTray(configure?: (e: FakeDesktop) => void, platform: NodeJS.Platform = 'linux') {
  const engine = new FakeDesktop();
  configure?.(engine);
  let launchAtLogin = false;
  const actions: TrayActions = {
    start: () => void engine.start(),
    stop: () => void engine.stop(),
    copyBaseUrl: () => {},
    signIn: (p) => void engine.beginSignIn(p),
    refreshQuotas: () => void engine.refreshQuotas(),
    openApp: () => {},
    setLaunchAtLogin: (on) => void (launchAtLogin = on),
    checkForUpdates: () => {},
    installUpdate: () => {},
    quit: () => {},
  };
  const timers = manualTimers();
  const clicks: unknown[] = [];
  const ctl = new TrayController({
    engine,
    actions,
    launchAtLogin: () => launchAtLogin,
    updateStatus: () => ({ kind: 'idle' }),
    onClick: (b) => clicks.push(b),
    now: () => NOW,
    timers,
    throttleMs: 500,
    platform,
    strings: () => shellStrings(resolveLang(engine.language(), 'en-US')),
  });
  const menu = () => fake.trays[0].menu as FakeMenu;
  return { engine, ctl, timers, menu, clicks, tray: fake.trays[0] };
}
