import { ContractError, type Handlers } from '../../../src-shared/contract';
import type { ControlDeps } from './context';

/** Per-account cost estimates read tokens per account × model; the prices are the user's (renderer). */
export function costHandlers(d: ControlDeps): Pick<Handlers, 'app:usage:cost-basis'> {
  return {
    'app:usage:cost-basis': async (range) => {
      if (range.to <= range.from) throw new ContractError('bad-request', '`to` must be after `from`');
      const usage = d.facade.usage;
      return { rows: usage?.costBasis ? usage.costBasis(range) : [] };
    },
  };
}
