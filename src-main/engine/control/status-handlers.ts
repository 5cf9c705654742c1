import type { Handlers } from '../../../src-shared/contract';
import type { Status } from '../../../src-shared/domain';
import type { ControlDeps } from './context';
import { startOfLocalDay, toAccountSummary } from './mappers';

/** The dashboard snapshot: lifecycle + account counts + today's traffic. */
export function buildStatus(d: ControlDeps): Status {
  const f = d.facade;
  const life = f.lifecycle.info();
  const accounts = f.accounts.list().map(toAccountSummary);
  const count = (s: string) => accounts.filter((a) => a.status === s).length;
  const now = d.now();
  const totals = f.usage?.totals({ from: startOfLocalDay(now), to: now + 1 });
  const displayHost = life.host === '0.0.0.0' || life.host === '::' ? '127.0.0.1' : life.host;
  const hostPart = displayHost.includes(':') ? `[${displayHost}]` : displayHost;
  return {
    state: life.state,
    baseUrl: life.state === 'running' ? `http://${hostPart}:${life.port}` : null,
    host: life.host,
    port: life.port,
    startedAt: life.startedAt,
    error: life.error,
    version: f.version,
    mode: f.mode,
    accounts: {
      total: accounts.length,
      active: count('active'),
      cooling: count('cooling'),
      needsSignIn: count('needs-sign-in'),
      disabled: count('disabled'),
    },
    today: { requests: totals?.requests ?? 0, tokens: totals?.totalTokens ?? 0, errors: totals?.errors ?? 0 },
    ...(life.persistence ? { persistence: life.persistence } : {}),
  };
}

type StatusHandlers = Pick<Handlers, 'app:status:get' | 'app:engine:start' | 'app:engine:stop' | 'app:engine:restart'>;

export function statusHandlers(d: ControlDeps): StatusHandlers {
  const life = d.facade.lifecycle;
  return {
    'app:status:get': async () => buildStatus(d),
    'app:engine:start': async () => {
      await life.start();
      return buildStatus(d);
    },
    'app:engine:stop': async () => {
      await life.stop();
      return buildStatus(d);
    },
    'app:engine:restart': async () => {
      await life.restart();
      return buildStatus(d);
    },
  };
}
