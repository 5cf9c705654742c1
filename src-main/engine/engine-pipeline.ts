import type { SwitchyardConfig } from '../../src-shared/config/schema';
import type { ConfigStore } from './config/store';
import type { PipelineDeps } from './pipeline/generate';
import { limitsFromConfig, type PipelineLimits } from './pipeline/limits';
import type { CredentialSource, PipelineObserver } from './pipeline/types';
import { protocols } from './protocols';
import { providerFor } from './providers';
import type { Routing } from './routing';
import type { DispatcherPool } from './upstream/dispatchers';

/** What every request runs with: every field reads the live config; limits are derived once per config object. */
export function buildPipelineDeps(p: { config: ConfigStore; routing: Routing; credentials: CredentialSource; dispatchers: DispatcherPool; observer: PipelineObserver }): PipelineDeps {
  let limitsOf: { cfg: SwitchyardConfig; limits: PipelineLimits } | undefined;
  return {
    routing: p.routing,
    credentials: p.credentials,
    dispatchers: p.dispatchers,
    hostOverrides: () => p.config.current['host-overrides'],
    protocols,
    providers: (id) => providerFor(id),
    observer: p.observer,
    limits: () => {
      const cfg = p.config.current;
      if (limitsOf?.cfg !== cfg) limitsOf = { cfg, limits: limitsFromConfig(cfg) };
      return limitsOf.limits;
    },
  };
}
