import { beforeEach, describe, expect, it } from 'vitest';
import { fake, readyFake } from '../../fakes/electron';
import { Notifier } from '../../../src-main/shell/notifications';
import type { ShellAccount } from '../../../src-main/shell/engine-port';
import { H, NOW } from './fake-engine';

const accounts: ShellAccount[] = [{ id: 'a1', provider: 'claude', label: 'ada@example.com', status: 'ok' }];
const win = (usedPercent: number, resetAt: number | null = NOW + 2 * H) => [{ accountId: 'a1', windows: [{ id: '5h', label: '5h', usedPercent, resetAt }] }];

function setup(thresholds?: number[]) {
  const sent: Array<{ title: string; body: string }> = [];
  const n = new Notifier({ notify: (title, body) => sent.push({ title, body }), thresholds, now: () => NOW, providerName: (id) => (id === 'claude' ? 'Claude' : id) });
  return { n, sent };
}

beforeEach(() => readyFake());

describe('notifications', () => {
  it('quota low fires once per threshold crossing, not on every snapshot', () => {
    const { n, sent } = setup();
    for (const used of [10, 50, 79, 80, 81, 85, 90, 94]) n.quota(accounts, win(used));
    expect(sent).toEqual([{ title: 'Quota low', body: 'Claude · ada@example.com: 5h window 80% used, resets in 2h 0m.' }]);
    n.quota(accounts, win(96));
    n.quota(accounts, win(99));
    expect(sent.map((s) => s.title)).toEqual(['Quota low', 'Quota low']);
    n.quota(accounts, win(100));
    expect(sent).toHaveLength(2);
  });

  it('a jump over both thresholds gives one notification (the higher one)', () => {
    const { n, sent } = setup();
    n.quota(accounts, win(20));
    n.quota(accounts, win(100));
    expect(sent).toEqual([{ title: 'Quota used up', body: 'Claude · ada@example.com: 5h window 100% used, resets in 2h 0m.' }]);
  });

  it('after a reset the window is announced as reset and can warn again', () => {
    const { n, sent } = setup();
    n.quota(accounts, win(85));
    n.quota(accounts, win(3, NOW + 7 * H)); // new cycle: reset moved forward
    expect(sent.map((s) => s.title)).toEqual(['Quota low', 'Quota reset']);
    n.quota(accounts, win(82, NOW + 7 * H));
    expect(sent.map((s) => s.title)).toEqual(['Quota low', 'Quota reset', 'Quota low']);
  });

  it('resets of windows that never warned stay quiet; small jitter in reset time is not a reset', () => {
    const { n, sent } = setup();
    n.quota(accounts, win(30));
    n.quota(accounts, win(2, NOW + 7 * H));
    n.quota(accounts, win(85, NOW + 7 * H));
    n.quota(accounts, win(86, NOW + 7 * H + 20_000));
    expect(sent.map((s) => s.title)).toEqual(['Quota low']);
  });

  it('thresholds come from the quota book when given as a function', () => {
    let levels = [50];
    const sent: string[] = [];
    const n = new Notifier({ notify: (t) => sent.push(t), thresholds: () => levels, now: () => NOW });
    n.quota(accounts, win(55));
    levels = [50, 60];
    n.quota(accounts, win(61));
    expect(sent).toEqual(['Quota low', 'Quota low']);
  });

  it('disabled accounts never warn', () => {
    const { n, sent } = setup();
    n.quota([{ ...accounts[0], status: 'disabled' }], win(99));
    expect(sent).toEqual([]);
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

  it('by default notifications go through Electron Notification and are shown', () => {
    const n = new Notifier({ now: () => NOW });
    n.event({ type: 'error', code: 'port-busy', message: 'port 8317 is already in use' });
    expect(fake.notifications).toHaveLength(1);
    expect(fake.notifications[0].shown).toBe(true);
    expect(fake.notifications[0].title).toBe('Port busy');
  });
});
