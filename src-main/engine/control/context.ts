import type { EngineFacade } from './engine-facade';

export interface ControlDeps {
  facade: EngineFacade;
  /** Injectable clock (status "today", countdowns in tests). */
  now: () => number;
  /** Source of new local API keys; crypto-random by default. */
  newApiKey: () => string;
}
