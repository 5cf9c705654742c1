/** The tray as a control panel: balances kept out of the gauge, and the menu in the app's language. */
import { beforeEach, describe, expect, it } from 'vitest';
import { readyFake, type FakeMenu } from '../../fakes/electron';
import { fourAccounts, NOW } from './fake-engine';
import { setupTray as setup } from './tray-harness';

beforeEach(() => readyFake());

describe('tray control panel', () => {
  it('balances never drive the gauge, the title or the tightest window: a Codex account without credits raises no alarm', () => {
    const { tray, ctl, engine } = setup((e) => {
      e.accountList = [{ id: 'x1', provider: 'codex', label: 'cy@example.com', status: 'active' }];
      e.quotaList = [
        {
          accountId: 'x1',
          windows: [
            { id: '5h', label: '5h', usedPercent: 10, resetAt: NOW + 30 * 60_000 },
            { id: 'credits', label: 'Credits', usedPercent: 100, resetAt: null, isBalance: true, balance: 0 },
          ],
        },
      ];
      e.state = 'running';
    }, 'darwin');
    ctl.render();
    const shown = () => ctl.currentMenu as unknown as FakeMenu;
    expect(tray.title).toBe('90%');
    expect(tray.tooltip).toBe('Switchyard — running on :8317 · 1 account\nTightest: cy@example.com 5h 90% left, resets in 30m');
    expect(shown().labels()).toContain('cy@example.com — 5h: 90% left · resets in 30m');
    expect(shown().get('Codex (1)').submenu!.labels()).toEqual([
      'cy@example.com',
      '    5h: 90% left · resets in 30m',
      '    Credits: balance 0',
      '---',
      'Sign in another account…',
    ]);
    // The same account with only the balance: no gauge at all (the plain running icon), no title.
    const gauged = tray.image;
    engine.quotaList = [{ accountId: 'x1', windows: [{ id: 'credits', label: 'Credits', usedPercent: 100, resetAt: null, isBalance: true }] }];
    ctl.render();
    expect(tray.title).toBe('');
    expect(tray.image).not.toBe(gauged);
    expect(tray.tooltip).toBe('Switchyard — running on :8317 · 1 account');
    expect(shown().labels()).toContain('cy@example.com');
  });

  it('in Chinese (the app language setting): menu, account lines and tooltip', () => {
    const { menu, tray } = setup((e) => {
      fourAccounts(e);
      e.state = 'running';
      e.languagePref = 'zh-CN';
    });
    expect(menu().labels().slice(0, 8)).toEqual([
      '运行中，端口 :8317',
      '停止代理',
      '复制基础 URL',
      '打开 Switchyard',
      '---',
      'ada@example.com — 5h：剩余 58% · 2小时13分后重置',
      'bob@example.com — 需要登录',
      'cy@example.com — 5h：剩余 15% · 30分钟后重置',
    ]);
    expect(menu().labels().slice(-5)).toEqual(['---', '登录时启动', '检查更新', '---', '退出 Switchyard']);
    expect(tray.tooltip).toBe('Switchyard — 运行中，端口 :8317 · 4 个账户\n最紧张：cy@example.com 5h 剩余 15%，30分钟后重置');
  });

});
