import express, { type Router } from 'express';
import type { ConfigStore } from '../config/store';
import { managementAuth } from './auth';
import { configRoutes } from './config-routes';

export interface ManagementDeps {
  config: ConfigStore;
  /** Further routers (usage, accounts, quota, UI bridge) mounted behind the same key check. */
  extra?: Router[];
}

/** `/v0/management/*`: one key check in front of every management route. */
export function managementRouter(deps: ManagementDeps): Router {
  const r = express.Router();
  r.use(managementKeyCheck(deps.config));
  r.use(configRoutes(deps.config));
  for (const x of deps.extra ?? []) r.use(x);
  r.use((req, res) => {
    res.status(404).json({ error: `no management route ${req.method} ${req.path}` });
  });
  return r;
}

/** The management key gate as configured (`remote-management`, MANAGEMENT_PASSWORD), for any router that needs it. */
export function managementKeyCheck(config: Pick<ConfigStore, 'current'>): ReturnType<typeof managementAuth> {
  return managementAuth(() => ({
    secretKey: config.current['remote-management']['secret-key'],
    allowRemote: config.current['remote-management']['allow-remote'],
    envPassword: process.env.MANAGEMENT_PASSWORD,
  }));
}
