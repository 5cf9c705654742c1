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
  r.use(
    managementAuth(() => ({
      secretKey: deps.config.current['remote-management']['secret-key'],
      allowRemote: deps.config.current['remote-management']['allow-remote'],
      envPassword: process.env.MANAGEMENT_PASSWORD,
    })),
  );
  r.use(configRoutes(deps.config));
  for (const x of deps.extra ?? []) r.use(x);
  r.use((req, res) => {
    res.status(404).json({ error: `no management route ${req.method} ${req.path}` });
  });
  return r;
}
