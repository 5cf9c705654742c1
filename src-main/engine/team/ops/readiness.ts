/**
 * `/healthz` answers while the process runs; `/readyz` answers 200 only when this instance can
 * serve: the config loaded, the shared store (if any) reachable, and at least one account usable.
 * Load balancers and Kubernetes take an instance out of rotation on 503 without killing it.
 */
export interface ReadinessDeps {
  configLoaded: () => boolean;
  storePing?: () => Promise<boolean>;
  usableAccounts: () => number;
}

export interface Readiness {
  ready: boolean;
  checks: { config: boolean; store: boolean | 'none'; accounts: number };
}

export async function readiness(d: ReadinessDeps): Promise<Readiness> {
  const config = d.configLoaded();
  const store = d.storePing ? await d.storePing() : 'none';
  const accounts = d.usableAccounts();
  return { ready: config && store !== false && accounts > 0, checks: { config, store, accounts } };
}
