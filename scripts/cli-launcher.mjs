#!/usr/bin/env node
// switchyard __SWITCHYARD_VERSION__: the `switchyard` command's entry (dist/cli/cli.js, generated
// from scripts/cli-launcher.mjs by scripts/build.mjs). It runs the CommonJS bundle next to it
// (switchyard.cjs) through V8's code cache: Node 20 has no module.enableCompileCache(), and
// compiling the 2–3 MB bundle from source is most of a cold start. The cache lives next to the bundle
// only (same owner and permissions as the code itself, never a shared temp folder: a cache is
// executable code) and starts with the bundle's SHA-1, because V8 checks only the source's length.
// Only `serve` writes it, 10 s after its start: by then V8 has compiled everything a start runs,
// so the cache holds all of it (a cache written by `--version` would hold a tenth and stay).
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dir = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(dir, 'switchyard.cjs');
// V8 refuses a cache made under other V8 flags (heap sizes, --cpu-prof…): one cache per flag set.
const flags = createHash('sha1').update(`${process.execArgv.join(' ')}\u0000${process.env.NODE_OPTIONS ?? ''}`).digest('hex').slice(0, 8);
const cacheFile = `${file}.${flags}.cache`;
const useCache = process.env.SWITCHYARD_CODE_CACHE !== 'off';
/** Follows the digest in the cache file: made by a started `serve`. */
const MARK = Buffer.from('S');

/** Compile the bundle (with the cache when it matches); the file's bytes and the cache are not kept. */
function compile() {
  const bytes = readFileSync(file);
  const digest = createHash('sha1').update(bytes).digest();
  let cachedData;
  if (useCache) {
    try {
      const c = readFileSync(cacheFile);
      const head = Buffer.concat([digest, MARK]);
      if (c.subarray(0, head.length).equals(head)) cachedData = c.subarray(head.length);
    } catch {
      // no cache yet: compile from source and write one below
    }
  }
  // The bundle is ASCII (esbuild escapes the rest), so latin1 is exact and V8 gets a one-byte string.
  const source = bytes.toString('latin1').replace(/^#!.*/, '');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  return { script, digest, fresh: !cachedData || script.cachedDataRejected };
}

function scheduleCacheWrite(script, digest) {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return; // a read-only install simply starts without the cache
  }
  const write = () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([digest, MARK, script.createCachedData()]), { mode: 0o644 });
      renameSync(tmp, cacheFile);
    } catch {
      // as above
    }
  };
  setTimeout(write, 10_000).unref();
}

const { script, digest, fresh } = compile();
const compiled = script.runInThisContext();
if (fresh && useCache && process.argv.slice(2).includes('serve')) scheduleCacheWrite(script, digest);
const module = { exports: {} };
compiled.call(module.exports, module.exports, createRequire(file), module, file, dir);
