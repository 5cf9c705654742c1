import { beforeEach, describe, expect, it } from 'vitest';
import { readyFake, type FakeNativeImage } from '../../fakes/electron';
import { decodePng } from '../../../scripts/assets/png';
import { fourAccounts } from './fake-engine';
import { setupTray as setup } from './tray-harness';

/** Average colour of the opaque pixels of an icon. */
function dominantColor(img: FakeNativeImage): [number, number, number] {
  const r = decodePng(img.toPNG());
  let n = 0;
  const sum = [0, 0, 0];
  for (let i = 0; i < r.data.length; i += 4) {
    if (r.data[i + 3] < 200) continue;
    n++;
    for (let c = 0; c < 3; c++) sum[c] += r.data[i + c];
  }
  return sum.map((s) => Math.round(s / Math.max(1, n))) as [number, number, number];
}

beforeEach(() => readyFake());

describe('tray menu', () => {
  it('stopped with no accounts: status, Start, disabled copy, sign-in providers only, fixed tail', () => {
    const { menu, tray } = setup();
    expect(menu().labels()).toEqual([
      'Proxy stopped',
      'Start proxy',
      'Copy base URL',
      'Open Switchyard',
      '---',
      'Claude',
      'Codex',
      '---',
      'Refresh quotas',
      '---',
      'Launch at login',
      'Check for updates',
      '---',
      'Quit Switchyard',
    ]);
    expect(menu().get('Copy base URL').enabled).toBe(false);
    expect(menu().get('Refresh quotas').enabled).toBe(false);
    expect(menu().get('Claude').submenu!.labels()).toEqual(['No accounts', '---', 'Sign in…']);
    expect(tray.tooltip).toBe('Switchyard — stopped · 0 accounts');
  });

  it('running with four accounts: the control panel, one line per subscription account, then a submenu per provider', () => {
    const { menu, tray, engine } = setup((e) => {
      fourAccounts(e);
      e.state = 'running';
    });
    expect(menu().labels().slice(0, 13)).toEqual([
      'Running on :8317',
      'Stop proxy',
      'Copy base URL',
      'Open Switchyard',
      '---',
      // The tightest window of each subscription account, in % left, with its reset.
      'ada@example.com — 5h: 58% left · resets in 2h 13m',
      'bob@example.com — needs sign-in',
      'cy@example.com — 5h: 15% left · resets in 30m',
      '---',
      'Claude (2)',
      'Codex (1)',
      'Gemini API (1)',
      '---',
    ]);
    expect(menu().get('Copy base URL').sublabel).toBe(engine.baseUrl);
    expect(menu().get('Claude (2)').submenu!.labels()).toEqual([
      'ada@example.com',
      '    5h: 58% left · resets in 2h 13m',
      '    Weekly: 90% left · resets in 3d 4h',
      'bob@example.com — needs sign-in',
      '    no quota data yet',
      '---',
      'Sign in another account…',
    ]);
    expect(menu().get('Codex (1)').submenu!.labels()).toContain('    5h: 15% left · resets in 30m');
    // Key-based providers cannot be signed in to from the tray, and get no account line.
    expect(menu().get('Gemini API (1)').submenu!.labels()).toEqual(['gemini #1', '    no quota data yet']);
    expect(menu().find('account-line:g1')).toBeUndefined();
    expect(tray.tooltip).toBe('Switchyard — running on :8317 · 4 accounts\nTightest: cy@example.com 5h 15% left, resets in 30m');
  });

  it('a needs-sign-in account line signs in again; the other lines are information only', async () => {
    const { menu, engine } = setup((e) => {
      fourAccounts(e);
      e.state = 'running';
    });
    await menu().get('account-line:c2').click();
    expect(engine.calls).toEqual(['signIn:claude']);
    expect(menu().get('account-line:c1').enabled).toBe(false);
  });

  it('error state shows the reason in the status line and tooltip and offers Start', async () => {
    const { menu, tray, engine, timers } = setup();
    engine.failNextStart = 'port 8317 is already in use';
    await menu().get('Start proxy').click();
    timers.advance(500);
    expect(menu().labels()[0]).toBe('Error: port 8317 is already in use');
    expect(menu().labels()[1]).toBe('Start proxy');
    expect(tray.tooltip).toBe('Switchyard — error: port 8317 is already in use');
  });

  it('starting and stopping disable the toggle', () => {
    const { menu, engine, ctl } = setup();
    engine.state = 'starting';
    ctl.render();
    expect(menu().labels()[0]).toBe('Starting…');
    expect(menu().get('toggle').enabled).toBe(false);
    engine.state = 'stopping';
    ctl.render();
    expect(menu().get('Stop proxy').enabled).toBe(false);
  });

  it('start/stop from the menu changes the engine state and the icon', async () => {
    const { menu, engine, tray, timers } = setup();
    const stoppedIcon = tray.image;
    expect(dominantColor(stoppedIcon)).toEqual([138, 143, 152]);
    await menu().get('Start proxy').click();
    expect(engine.state).toBe('running');
    timers.advance(500);
    expect(menu().labels()[1]).toBe('Stop proxy');
    expect(tray.image).not.toBe(stoppedIcon);
    expect(dominantColor(tray.image)).toEqual([46, 182, 125]);
    await menu().get('Stop proxy').click();
    timers.advance(500);
    expect(engine.state).toBe('stopped');
    expect(tray.image).toBe(stoppedIcon);
    expect(engine.calls).toEqual(['start', 'stop']);
  });

  it('the running icon becomes a gauge of the tightest quota window', () => {
    const { tray, engine, ctl } = setup((e) => {
      fourAccounts(e);
      e.state = 'running';
    });
    // Codex at 85 % used is the tightest: 15 % left is drawn red.
    const px = decodePng(tray.image.toPNG());
    const at = (row: number) => (row * 16 + 8) * 4;
    expect([...px.data.subarray(at(11), at(11) + 4)]).toEqual([229, 72, 77, 255]);
    // Above the 15 % fill level the inner disc is empty.
    expect(px.data[at(8) + 3]).toBe(0);
    // With plenty left the fill reaches the centre and turns green.
    engine.setQuota('x1', [{ id: '5h', label: '5h', usedPercent: 20, resetAt: null }]);
    ctl.render();
    const full = decodePng(tray.image.toPNG());
    expect([...full.data.subarray(at(8), at(8) + 4)]).toEqual([46, 182, 125, 255]);
  });

  it('icons reach Electron as raw bitmaps at 16 px and 32 px (@2x), the sizes a tray shows', () => {
    const { tray } = setup();
    expect(tray.image.getScaleFactors()).toEqual([1, 2]);
    expect(tray.image.getSize(1)).toEqual({ width: 16, height: 16 });
    expect(tray.image.getSize(2)).toEqual({ width: 16, height: 16 });
    expect(tray.image.toBitmap({ scaleFactor: 2 })).toHaveLength(32 * 32 * 4);
  });

  it('menu rebuilds are throttled: a burst of engine events gives one trailing rebuild', () => {
    const { engine, tray, timers } = setup((e) => (e.state = 'running'));
    let builds = 0;
    const original = tray.setContextMenu.bind(tray);
    tray.setContextMenu = (m) => {
      builds++;
      original(m);
    };
    for (let i = 0; i < 20; i++) engine.setQuota('c1', [{ id: '5h', label: '5h', usedPercent: i, resetAt: null }]);
    expect(builds).toBe(1); // leading edge
    timers.advance(500);
    expect(builds).toBe(2); // one trailing rebuild with the latest data
    timers.advance(5000);
    expect(builds).toBe(2);
  });

  it('Launch at login is a checkbox that reports its new state', async () => {
    const { menu, ctl } = setup();
    const item = menu().get('Launch at login');
    expect(item.type).toBe('checkbox');
    expect(item.checked).toBe(false);
    await item.click();
    ctl.render();
    expect(menu().get('Launch at login').checked).toBe(true);
  });

  it('a needs-sign-in account and "Sign in another account…" start the provider sign-in', async () => {
    const { menu, engine } = setup(fourAccounts);
    await menu().get('bob@example.com — needs sign-in').click();
    await menu().get('sign-in:codex').click();
    expect(engine.calls).toEqual(['signIn:claude', 'signIn:codex']);
  });

  it('macOS: click opens the meters window, the menu comes on right-click (template icons)', () => {
    const { tray, clicks, ctl } = setup(undefined, 'darwin');
    expect(tray.menu).toBeNull();
    tray.click();
    expect(clicks).toHaveLength(1);
    tray.rightClick();
    expect(tray.poppedUp).toEqual([ctl.currentMenu]);
    expect(tray.image.isTemplateImage()).toBe(true);
  });

  it('a left click reports the tray bounds (opens the meters window)', () => {
    const { tray, clicks } = setup();
    tray.click();
    expect(clicks).toEqual([tray.bounds]);
  });
});
