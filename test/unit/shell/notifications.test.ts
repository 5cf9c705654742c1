import { beforeEach, describe, expect, it } from 'vitest';
import { fake, readyFake } from '../../fakes/electron';
import { Notifier } from '../../../src-main/shell/notifications';
import type { DesktopAccount, DesktopQuotaAlert } from '../../../src-main/engine/control/control';
import { shellStrings } from '../../../src-main/shell/i18n';
import { H, NOW } from './fake-engine';

const accounts: DesktopAccount[] = [{ id: 'a1', provider: 'claude', label: 'ada@example.com', status: 'active' }];
const crossing = (percentLeft: number, level: DesktopQuotaAlert['level'] = 'warn'): DesktopQuotaAlert => ({
  accountId: 'a1',
  provider: 'claude',
  accountLabel: 'ada@example.com',
  windowId: '5h',
  windowLabel: '5h',
  level,
  percentLeft,
  resetAt: NOW + 2 * H,
});

function setup(lang: 'en' | 'zh-CN' = 'en') {
  const sent: Array<{ title: string; body: string }> = [];
  const n = new Notifier({ notify: (title, body) => sent.push({ title, body }), now: () => NOW, providerName: (id) => (id === 'claude' ? 'Claude' : id), strings: () => shellStrings(lang) });
  return { n, sent };
}

beforeEach(() => readyFake());

describe('notifications', () => {
  it("quota warnings are the engine's: one notification per threshold event, in % left", () => {
    const { n, sent } = setup();
    n.event({ type: 'quota-threshold', ...crossing(20) });
    n.event({ type: 'quota-threshold', ...crossing(0, 'critical') });
    expect(sent).toEqual([
      { title: 'Quota low', body: 'Claude · ada@example.com: 5h window 20% left, resets in 2h 0m.' },
      { title: 'Quota used up', body: 'Claude · ada@example.com: 5h window 0% left, resets in 2h 0m.' },
    ]);
  });

  it("a reset is announced only when the engine says a warned window recovered; it is worded with the engine's numbers", () => {
    const { n, sent } = setup();
    n.event({ type: 'quota-threshold', ...crossing(15) });
    n.event({ type: 'quota-threshold', ...crossing(97, 'recovered'), resetAt: NOW + 7 * H });
    expect(sent.map((s) => s.title)).toEqual(['Quota low', 'Quota reset']);
    expect(sent[1].body).toBe('Claude · ada@example.com: 5h window is back to 97% left.');
    // Snapshots are not the notifier's input any more: it has no way to decide a warning itself.
    expect('quota' in n).toBe(false);
  });

  it('needs sign-in fires on the transition only', () => {
    const { n, sent } = setup();
    n.accounts(accounts);
    n.accounts([{ ...accounts[0], status: 'needs-sign-in' }]);
    n.accounts([{ ...accounts[0], status: 'needs-sign-in' }]);
    n.accounts(accounts);
    n.accounts([{ ...accounts[0], status: 'needs-sign-in' }]);
    expect(sent).toEqual([
      { title: 'Sign-in needed', body: 'Claude · ada@example.com needs you to sign in again.' },
      { title: 'Sign-in needed', body: 'Claude · ada@example.com needs you to sign in again.' },
    ]);
  });

  it('port busy, proxy errors, sign-in results and update ready', () => {
    const { n, sent } = setup();
    n.event({ type: 'error', code: 'port-busy', message: 'port 8317 is already in use' });
    n.event({ type: 'error', code: 'proxy-error', message: 'boom' });
    n.event({ type: 'sign-in', provider: 'claude', status: 'succeeded', accountLabel: 'ada@example.com' });
    n.event({ type: 'sign-in', provider: 'claude', status: 'failed', message: 'state mismatch' });
    n.event({ type: 'state', state: 'running' });
    n.updateReady('0.2.0');
    expect(sent.map((s) => s.title)).toEqual(['Port busy', 'Proxy error', 'Signed in', 'Sign-in failed', 'Update ready']);
    expect(sent[2].body).toBe('Claude · ada@example.com is ready to use.');
  });

  it('in Chinese: quota, sign-in and update notifications', () => {
    const { n, sent } = setup('zh-CN');
    n.event({ type: 'quota-threshold', ...crossing(20) });
    n.accounts([{ ...accounts[0], status: 'needs-sign-in' }]);
    n.event({ type: 'error', code: 'port-busy', message: 'port 8317 is already in use' });
    n.updateReady('0.2.0');
    expect(sent).toEqual([
      { title: '配额不足', body: 'Claude · ada@example.com：5h 窗口剩余 20%，2小时0分后重置。' },
      { title: '需要登录', body: 'Claude · ada@example.com 需要重新登录。' },
      { title: '端口被占用', body: 'port 8317 is already in use' },
      { title: '更新已就绪', body: 'Switchyard 0.2.0 已下载。在托盘菜单中选择“重启以更新”即可安装。' },
    ]);
  });

  it('by default notifications go through Electron Notification and are shown', () => {
    const n = new Notifier({ now: () => NOW });
    n.event({ type: 'error', code: 'port-busy', message: 'port 8317 is already in use' });
    expect(fake.notifications).toHaveLength(1);
    expect(fake.notifications[0].shown).toBe(true);
    expect(fake.notifications[0].title).toBe('Port busy');
  });

  it('on Linux without a notification daemon nothing is constructed or shown', () => {
    fake.platform = 'linux';
    fake.linuxNotificationDaemon = false;
    new Notifier({ now: () => NOW }).event({ type: 'error', code: 'proxy-error', message: 'boom' });
    expect(fake.notifications).toEqual([]);
  });
});
