import { ContractError, type Handlers } from '../../../src-shared/contract';
import type { AccountSummary } from '../../../src-shared/domain';
import type { ControlDeps } from './context';
import { toAccountSummary } from './mappers';

type AccountHandlers = Pick<
  Handlers,
  | 'app:providers:list'
  | 'app:accounts:list'
  | 'app:accounts:remove'
  | 'app:accounts:set-enabled'
  | 'app:accounts:update'
  | 'app:accounts:reset-cooldown'
  | 'app:accounts:sign-in-start'
  | 'app:accounts:sign-in-paste-redirect'
  | 'app:accounts:sign-in-cancel'
>;

export function findAccount(d: ControlDeps, id: string): AccountSummary {
  const v = d.facade.accounts.list().find((a) => a.account.id === id);
  if (!v) throw new ContractError('not-found', `no account ${id}`);
  return toAccountSummary(v);
}

export function accountHandlers(d: ControlDeps): AccountHandlers {
  const f = d.facade;
  return {
    'app:providers:list': async () => ({ providers: f.signIn.providers() }),
    'app:accounts:list': async () => ({ accounts: f.accounts.list().map(toAccountSummary) }),
    'app:accounts:remove': async ({ id }) => ({ removed: await f.accounts.remove(id) }),
    'app:accounts:set-enabled': async ({ id, enabled }) => {
      findAccount(d, id);
      await f.accounts.setEnabled(id, enabled);
      return findAccount(d, id);
    },
    'app:accounts:update': async ({ id, ...patch }) => {
      findAccount(d, id);
      if (patch.prefix === '') patch.prefix = null;
      await f.accounts.update(id, patch);
      return findAccount(d, id);
    },
    'app:accounts:reset-cooldown': async ({ id }) => {
      findAccount(d, id);
      if (!f.routing.resetCooldowns) throw new ContractError('bad-request', 'this engine cannot reset cooldowns');
      f.routing.resetCooldowns(id);
      return findAccount(d, id);
    },
    'app:accounts:sign-in-start': async ({ provider, mode, accountId }) => {
      const info = f.signIn.providers().find((p) => p.id === provider);
      if (!info) throw new ContractError('not-found', `unknown provider ${provider}`);
      if (info.signIn === 'none') throw new ContractError('bad-request', `${info.displayName} uses API keys, not sign-in`);
      if (accountId) findAccount(d, accountId);
      return f.signIn.start(provider, { mode, accountId });
    },
    'app:accounts:sign-in-paste-redirect': async ({ flowId, redirectUrl }) => {
      let url: URL;
      try {
        url = new URL(redirectUrl);
      } catch {
        throw new ContractError('bad-request', 'paste the full address from the browser, starting with http');
      }
      if (!url.searchParams.get('code') && !url.searchParams.get('error')) {
        throw new ContractError('bad-request', 'that address has no authorization code in it');
      }
      const accepted = await f.signIn.pasteRedirect(flowId, url.toString());
      if (!accepted) throw new ContractError('not-found', 'this sign-in has ended; start it again');
      return { accepted };
    },
    'app:accounts:sign-in-cancel': async ({ flowId }) => ({ cancelled: await f.signIn.cancel(flowId) }),
  };
}
