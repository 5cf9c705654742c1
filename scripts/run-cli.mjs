#!/usr/bin/env node
// `npm run serve` / `npm run switchyard`: bundle the CLI with esbuild (well under a second, so it
// always reflects the sources) and run the bundle in this process: no wrapper process between the
// user's signals and the engine, and no on-the-fly TypeScript compiler on the request path.
import { pathToFileURL } from 'node:url';
import { buildCli } from './build.mjs';

const outfile = await buildCli();
await import(pathToFileURL(outfile).href);
