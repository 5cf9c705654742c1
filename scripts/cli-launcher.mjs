#!/usr/bin/env node
// switchyard __SWITCHYARD_VERSION__: the `switchyard` command's entry (dist/cli/cli.js, generated
// from scripts/cli-launcher.mjs by scripts/build.mjs). It runs the CommonJS bundle next to it
// (switchyard.cjs) through V8's code cache: Node 20 has no module.enableCompileCache(), and
// compiling the 2–3 MB bundle from source is most of a cold start. The cache lives next to the bundle
// only (same owner and permissions as the code itself, never a shared temp folder: a cache is
// executable code) and starts with the bundle's SHA-1, because V8 checks only the source's length.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dir = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(dir, 'switchyard.cjs');
const cacheFile = `${file}.cache`;
const bytes = readFileSync(file);
const digest = createHash('sha1').update(bytes).digest();
let cachedData;
if (process.env.SWITCHYARD_CODE_CACHE !== 'off') {
  try {
    const c = readFileSync(cacheFile);
    if (c.subarray(0, digest.length).equals(digest)) cachedData = c.subarray(digest.length);
  } catch {
    // no cache yet: compile from source and write one below
  }
}
// The bundle is ASCII (esbuild escapes the rest), so latin1 is exact and V8 gets a one-byte string.
const source = bytes.toString('latin1').replace(/^#!.*/, '');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
const compiled = script.runInThisContext();

/** Write the cache once the process has compiled what a start needs (serve listens well within 3 s). */
function writeCache() {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]), { mode: 0o644 });
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only install simply starts without the cache
  }
}
if ((!cachedData || script.cachedDataRejected) && process.env.SWITCHYARD_CODE_CACHE !== 'off') {
  let writable = true;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    writable = false;
  }
  if (writable && process.env.SWITCHYARD_CODE_CACHE === 'write-on-exit') process.once('exit', writeCache);
  else if (writable) setTimeout(writeCache, 3000).unref();
}
const module = { exports: {} };
compiled.call(module.exports, module.exports, createRequire(file), module, file, dir);
