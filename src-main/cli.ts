#!/usr/bin/env node
// The `switchyard` command. Built to dist/cli/cli.js (scripts/build.mjs), which bin/switchyard.js
// and `npm run serve` / `npm run switchyard` run; the commands live in src-main/cli/.
import { main } from './cli/main';

export { main };

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

main(process.argv.slice(2), io).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    // An unexpected failure: the message, and the stack only when asked for (bug reports).
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`switchyard: ${process.env.SWITCHYARD_DEBUG ? (e.stack ?? e.message) : e.message}\n`);
    process.exitCode = 1;
  },
);
