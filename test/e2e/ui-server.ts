import express from 'express';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createControl, type Control } from '../../src-main/engine/control';
import { uiBridgeRouter } from '../../src-main/engine/management/ui-bridge';
import { FakeEngine, type FakeEngineOptions } from '../unit/engine/control/fake-facade';
import { seedDemo } from './seed';

export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

/**
 * Build the renderer once if the run starts without dist/renderer. Test files run in parallel, so
 * one builds (holding a lock directory) and the others wait for index.html.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const index = `${RENDERER_DIR}/index.html`;
  if (existsSync(index)) return;
  const lock = fileURLToPath(new URL('../../test-output/.renderer-build.lock', import.meta.url));
  mkdirSync(fileURLToPath(new URL('../../test-output', import.meta.url)), { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + 120_000;
    while (!existsSync(index) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    if (!existsSync(index)) throw new Error('renderer build by another test file did not finish');
    return;
  }
  try {
    const { build } = await import('vite');
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface UiServer {
  url: string;
  /** Where the panel lives (`${url}/ui/`). */
  uiUrl: string;
  managementKey: string;
  engine: FakeEngine;
  control: Control;
  /** Drop every connection and stop listening, then listen again on the same port (a restart). */
  restart(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Stand-in for the engine until it mounts the bridge itself: the built renderer at /ui/ and the
 * contract bridge at /v0/management/ui/* over the in-memory fake engine, behind a management key.
 */
export async function startUiServer(opts: FakeEngineOptions & { seed?: boolean; managementKey?: string } = {}): Promise<UiServer> {
  await ensureRendererBuilt();
  const engine = await FakeEngine.create({ autoCompleteSignInMs: 600, ...opts });
  if (opts.seed !== false) await seedDemo(engine);
  const control = createControl(engine, { quotaThrottleMs: 100, statusThrottleMs: 300 });
  const managementKey = opts.managementKey ?? 'mgmt-test-key';
  const app = express();
  app.use('/v0/management', (req, res, next) => {
    const auth = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? req.headers['x-management-key'];
    if (auth !== managementKey) return void res.status(401).json({ error: 'invalid management key' });
    next();
  });
  app.use('/v0/management', uiBridgeRouter(control, { keepaliveMs: 5000 }));
  app.use('/ui', express.static(RENDERER_DIR));
  const listen = (port: number) =>
    new Promise<Server>((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
  let server = await listen(0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    uiUrl: `${url}/ui/`,
    managementKey,
    engine,
    control,
    async restart(downMs = 1500) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await new Promise((r) => setTimeout(r, downMs));
      server = await listen(port);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      control.dispose();
      engine.close();
    },
  };
}
