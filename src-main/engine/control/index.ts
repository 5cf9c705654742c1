import { randomBytes } from 'node:crypto';
import { contract, ContractError, invokeValidated, type HandlerContext, type Handlers } from '../../../src-shared/contract';
import { accountHandlers } from './account-handlers';
import type { ControlDeps } from './context';
import type { Control } from './control';
import { desktopView, type DesktopViewOptions } from './desktop-view';
import type { EngineFacade } from './engine-facade';
import { EventHub, type EventHubOptions } from './events';
import { keyHandlers } from './key-handlers';
import { costHandlers } from './cost-handlers';
import { mappingHandlers } from './mapping-handlers';
import { quotaUsageHandlers } from './quota-usage-handlers';
import { settingsHandlers } from './settings-handlers';
import { statusHandlers } from './status-handlers';

export type { EngineFacade } from './engine-facade';
export type * from './engine-facade';
export type { ContractEvent, ContractEventListener, ControlEvents } from './events';
export type * from './control';

export interface ControlOptions extends EventHubOptions, DesktopViewOptions {
  now?: () => number;
  newApiKey?: () => string;
}

/** Config edits that fail validation are the caller's mistake (400), not a server fault. */
function withConfigErrors(handlers: Handlers): Handlers {
  const out: Record<string, (req: never, ctx: HandlerContext) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(handlers) as Array<[string, (req: never, ctx: HandlerContext) => Promise<unknown>]>) {
    out[name] = async (req, ctx) => {
      try {
        return await fn(req, ctx);
      } catch (e) {
        if (e instanceof Error && e.name === 'ConfigError') throw new ContractError('bad-request', e.message);
        throw e;
      }
    };
  }
  return out as unknown as Handlers;
}

export function newLocalApiKey(): string {
  return `sk-sy-${randomBytes(24).toString('base64url')}`;
}

export function createControl(facade: EngineFacade, opts: ControlOptions = {}): Control {
  const d: ControlDeps = { facade, now: opts.now ?? Date.now, newApiKey: opts.newApiKey ?? newLocalApiKey };
  const handlers = withConfigErrors({
    ...statusHandlers(d),
    ...accountHandlers(d),
    ...keyHandlers(d),
    ...quotaUsageHandlers(d),
    ...costHandlers(d),
    ...mappingHandlers(d),
    ...settingsHandlers(d),
  });
  const hub = new EventHub(d, opts);
  return {
    // A getter: the contract's schemas are built when a transport first reads them, not at start-up
    // (the CLI bundle evaluates src-shared/contract on first use, see scripts/cli-build.mjs).
    get contract() {
      return contract;
    },
    handlers,
    events: hub,
    desktop: desktopView(facade, opts),
    invoke: (channel, payload, ctx) => invokeValidated(contract, handlers, channel, payload, ctx),
    dispose: () => hub.dispose(),
  };
}
