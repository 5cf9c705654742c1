import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeAppUpdater, fake, readyFake } from '../../fakes/electron';
import { loadAutoUpdater, UpdateController } from '../../../src-main/shell/updater';

function setup(enabled = true, confirm = true) {
  // electron-updater's semantics (test/fakes/electron/updater.ts).
  const u = createFakeAppUpdater();
  const log: string[] = [];
  const stopped: string[] = [];
  const ctl = new UpdateController(
    u,
    {
      info: async (t, m) => void log.push(`info ${t}: ${m}`),
      confirm: async (t) => (log.push(`confirm ${t}`), confirm),
      updateReady: (v) => log.push(`ready ${v}`),
      changed: () => log.push(`status ${ctl.state.kind}`),
    },
    { enabled, beforeInstall: async () => void stopped.push('engine stopped') },
  );
  return { u, ctl, log, stopped };
}

beforeEach(() => readyFake());

describe('updates', () => {
  it('never installs on quit without consent', () => {
    const { u } = setup();
    expect(u.autoInstallOnAppQuit).toBe(false);
    expect(u.autoDownload).toBe(true);
  });

  it('a manual check with nothing new says so', async () => {
    const { ctl, log } = setup();
    await ctl.checkNow();
    expect(log).toEqual(['status checking', 'status idle', 'info No updates: You are running the latest version of Switchyard.']);
  });

  it('a downloaded update waits for the user: notification, then confirm, then stop the engine and install', async () => {
    const { u, ctl, log, stopped } = setup();
    u.next = { version: '0.2.0' };
    await ctl.checkNow();
    expect(ctl.state).toEqual({ kind: 'ready', version: '0.2.0' });
    expect(log).toContain('ready 0.2.0');
    expect(u.quitAndInstallCalls).toEqual([]);
    await ctl.install();
    expect(stopped).toEqual(['engine stopped']);
    expect(u.quitAndInstallCalls).toEqual([[false, true]]);
  });

  it('declining the restart installs nothing', async () => {
    const { u, ctl } = setup(true, false);
    u.next = { version: '0.2.0' };
    await ctl.checkNow();
    await ctl.install();
    expect(u.quitAndInstallCalls).toEqual([]);
  });

  it('errors during a manual check are reported and the status recovers', async () => {
    const { u, ctl, log } = setup();
    u.checkForUpdates = async () => {
      u.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    };
    await ctl.checkNow();
    expect(ctl.state).toEqual({ kind: 'idle' });
    expect(log).toContain('info Update check failed: net::ERR_INTERNET_DISCONNECTED');
  });

  it('unpackaged builds do not check', async () => {
    const { u, ctl, log } = setup(false);
    await ctl.checkNow();
    ctl.startSchedule();
    ctl.stop();
    expect(u.checks).toBe(0);
    expect(log).toEqual(['info Updates: Updates are available in packaged builds only.']);
  });

  it('the real electron-updater loads against the Electron fake (require hook) and is configurable', async () => {
    const updater = await loadAutoUpdater();
    expect(typeof updater.checkForUpdates).toBe('function');
    expect(typeof updater.quitAndInstall).toBe('function');
    const { UpdateController: C } = await import('../../../src-main/shell/updater');
    new C(updater, { info: async () => {}, confirm: async () => false, updateReady: () => {}, changed: () => {} }, { enabled: false });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(fake.quitCalls).toBe(0);
  });
});
