import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fake, resetFake } from '../../fakes/electron';
import { desktopEntry, LoginItem } from '../../../src-main/shell/login-item';

beforeEach(() => resetFake());

describe('launch at login', () => {
  it('macOS uses app.setLoginItemSettings and starts hidden', () => {
    fake.platform = 'darwin';
    const li = new LoginItem({ platform: 'darwin' });
    expect(li.enabled).toBe(false);
    li.set(true);
    expect(fake.loginItem).toMatchObject({ openAtLogin: true, openAsHidden: true });
    expect(li.enabled).toBe(true);
    li.set(false);
    expect(li.enabled).toBe(false);
  });

  it('Linux writes and removes an XDG autostart entry', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'sy-xdg-'));
    const li = new LoginItem({ platform: 'linux', configHome: home, exec: '/home/ada/Apps/Switchyard 0.1.0.AppImage' });
    expect(li.enabled).toBe(false);
    li.set(true);
    expect(li.desktopFile).toBe(path.join(home, 'autostart', 'switchyard.desktop'));
    const text = readFileSync(li.desktopFile, 'utf8');
    expect(text).toContain('[Desktop Entry]');
    expect(text).toContain('Exec="/home/ada/Apps/Switchyard 0.1.0.AppImage" --hidden');
    expect(li.enabled).toBe(true);
    li.set(false);
    expect(li.enabled).toBe(false);
    li.set(false); // idempotent
  });

  it('escapes characters the Desktop Entry spec reserves', () => {
    expect(desktopEntry('/opt/a"b$c/switchyard')).toContain('Exec="/opt/a\\"b\\$c/switchyard" --hidden');
    expect(desktopEntry('/usr/bin/switchyard')).toContain('Exec=/usr/bin/switchyard --hidden');
  });

  it('a login launch is recognised by its --hidden argument', () => {
    expect(LoginItem.startedHidden(['electron', '.', '--hidden'])).toBe(true);
    expect(LoginItem.startedHidden(['electron', '.'])).toBe(false);
  });
});

describe('launch at login on Windows', () => {
  it('reads back what it wrote: the Run entry carries --hidden, so the read-back asks with the same args', () => {
    fake.platform = 'win32';
    const li = new LoginItem({ platform: 'win32' });
    expect(li.enabled).toBe(false);
    li.set(true);
    expect(fake.loginItem).toMatchObject({ openAtLogin: true, args: ['--hidden'] });
    expect(li.enabled).toBe(true);
    li.set(false);
    expect(li.enabled).toBe(false);
  });
});
