import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { ConfigStore } from './config/store';
import { Engine } from './engine';
import { createEngineFacade, type FacadeOptions } from './facade/create-facade';
import { createControl, type Control } from './control';
import { uiBridgeRouter } from './management/ui-bridge';
import { accountsRoutes } from './management/accounts-routes';
import { authFileRoutes } from './management/auth-file-routes';
import type { Logger } from './log/logger';
import { mountOps } from './team/ops/mount';

export interface RuntimeOptions extends FacadeOptions {
  config: ConfigStore;
  dataDir: string;
  logger?: Logger;
  defaultSecretStore?: 'keychain' | 'file' | 'shared';
  /** Built renderer to serve at /ui/ (default: dist/renderer next to the sources). */
  uiDir?: string;
}

/** The engine and the one Control surface every front end (shell, UI bridge) consumes. */
export interface Runtime {
  engine: Engine;
  control: Control;
  close(graceMs?: number): Promise<void>;
}

// fileURLToPath, not URL.pathname: the latter stays percent-encoded ("Switch%20yard") and
// has a leading slash before the drive letter on Windows, so the folder would never be found.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The engine plus everything a UI talks to: the contract handlers over the facade, served over
 * HTTP at /v0/management/ui/* (behind the management key) and the built panel at /ui/.
 * The desktop shell uses the same `control` over IPC.
 */
export function createRuntime(o: RuntimeOptions): Runtime {
  const engine = new Engine({ config: o.config, dataDir: o.dataDir, logger: o.logger, defaultSecretStore: o.defaultSecretStore });
  const facade = createEngineFacade(engine, o);
  // Desktop sign-ins open the system browser through `openUrl`; the tray need not open them again.
  const control = createControl(facade, { opensSignInUrls: o.openUrl !== undefined });
  engine.addManagementRoutes(uiBridgeRouter(control));
  engine.addManagementRoutes(accountsRoutes(engine, facade));
  engine.addManagementRoutes(authFileRoutes(engine));
  const closeOps = mountOps(engine);
  const uiDir = o.uiDir ?? path.join(repoRoot, 'dist/renderer');
  if (existsSync(path.join(uiDir, 'index.html'))) {
    engine.addPublicRoutes('/ui', (req, res, next) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      next();
    });
    engine.addPublicRoutes('/ui', express.static(uiDir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  }
  return {
    engine,
    control,
    async close(graceMs = 10_000) {
      control.dispose();
      facade.dispose();
      await closeOps();
      await engine.close(graceMs);
    },
  };
}
