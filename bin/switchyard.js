#!/usr/bin/env node
// The installed `switchyard` command (package.json "bin"): runs the built CLI. Build it with
// `node scripts/build.mjs` (scripts/setup.sh does); `npm run switchyard` rebuilds it when esbuild is there.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/cli.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(`switchyard: ${bundle} is missing; build it with \`node scripts/build.mjs\` (or \`bash scripts/setup.sh\`)\n`);
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
