#!/usr/bin/env node
// switchyard __SWITCHYARD_VERSION__: the `switchyard` command's entry (dist/cli/cli.js, generated
// from scripts/cli-launcher.mjs by scripts/build.mjs). It runs the CommonJS bundle next to it
// (switchyard.cjs) through V8's code cache: Node 20 has no module.enableCompileCache(), and
// compiling the 2–3 MB bundle from source is most of a cold start. The cache lives next to the bundle
// only (same owner and permissions as the code itself, never a shared temp folder: a cache is
// executable code) and starts with the bundle's SHA-1, because V8 checks only the source's length.
// Only `serve` writes it, once it listens and has printed its start-up lines: V8 has compiled
// everything a start runs by then, so the cache holds all of it (a cache written by `--version`
// would hold a tenth and stay). Not later: under load, full GCs flush the bytecode of functions that
// ran only at start, and a cache written 10 s in held half of them.
//
// It also sizes V8's heap for a long-running proxy (see HEAP below): Node's defaults let the young
// generation grow to 2 × 16 MB and the old one to several times what is live, which made the engine
// ~210 MB under load for ~20 MB of live objects.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Heap sizing, applied through V8 flags that V8 reads while running (`--max-semi-space-size` is
 * read only when the heap is made, so it cannot be set from here; a wrapper process to pass it
 * would cost more memory than it saves):
 * - the old generation is collected once it reaches 1.5 × what the last full GC kept (V8 lets it
 *   reach up to 4 ×: under load, request objects that lived through two scavenges piled up as
 *   ~60 MB of garbage);
 * - the young generation stays at its minimum (two 1 MB semi-spaces) through start-up, and may
 *   grow to `youngCapMb` (both semi-spaces together) once `serve` is listening (capYoungGeneration);
 * - WebAssembly stays on V8's baseline compiler: optimising undici's HTTP parser (llhttp, the only
 *   WebAssembly here) took ~35 MB for a moment at the first upstream request, the process's peak,
 *   for a parser that is well under 1 % of the CPU per request.
 * A user's own flag for any of these (command line or NODE_OPTIONS) wins.
 */
const HEAP = { growingPercent: 50, youngCapMb: 8 };
const userFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
const tuneOld = !/--heap[-_]growing[-_]percent/.test(userFlags);
const tuneYoung = !/--semi[-_]space[-_]growth[-_]factor/.test(userFlags);
const tuneWasm = !/--(no-)?(liftoff|wasm)/.test(userFlags);
/** The flags as they are while the bundle compiles: V8 stamps its code cache with them. */
const startFlags = [
  tuneOld && `--heap-growing-percent=${HEAP.growingPercent}`,
  tuneYoung && '--semi-space-growth-factor=1',
  tuneWasm && '--liftoff-only',
].filter(Boolean);
for (const f of startFlags) v8.setFlagsFromString(f);
let youngGrowth = 1;

/**
 * After each GC: let the young generation double while it is under the cap, and stop it at the cap.
 * Smaller semi-spaces mean more scavenges, but past a few MB they save little CPU here, and every
 * MB of them is resident (V8's own default is up to 2 × 16 MB).
 */
function capYoungGeneration() {
  const youngMb = () => (v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20;
  const steer = () => {
    const next = youngMb() < HEAP.youngCapMb ? 2 : 1;
    if (next === youngGrowth) return;
    youngGrowth = next;
    v8.setFlagsFromString(`--semi-space-growth-factor=${next}`);
  };
  new PerformanceObserver(steer).observe({ entryTypes: ['gc'] });
  steer();
}

const dir = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(dir, 'switchyard.cjs');
// V8 refuses a cache made under other V8 flags (heap sizes, --cpu-prof…): one cache per flag set.
const flags = createHash('sha1').update(`${process.execArgv.join(' ')}\u0000${process.env.NODE_OPTIONS ?? ''}\u0000${startFlags.join(' ')}`).digest('hex').slice(0, 8);
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
      // V8 stamps the cache with the current flags: those of the next start's compile, not the steering's.
      if (tuneYoung) v8.setFlagsFromString('--semi-space-growth-factor=1');
      const data = script.createCachedData();
      if (tuneYoung) v8.setFlagsFromString(`--semi-space-growth-factor=${youngGrowth}`);
      writeFileSync(tmp, Buffer.concat([digest, MARK, data]), { mode: 0o644 });
      renameSync(tmp, cacheFile);
    } catch {
      // as above
    }
  };
  process.once('switchyard:listening', () => setImmediate(write));
}

const { script, digest, fresh } = compile();
const compiled = script.runInThisContext();
const serving = process.argv.slice(2).includes('serve');
if (fresh && useCache && serving) scheduleCacheWrite(script, digest);
// `serve` emits this once it listens (src-main/cli/serve.ts).
if (serving && tuneYoung) process.once('switchyard:listening', capYoungGeneration);
const module = { exports: {} };
compiled.call(module.exports, module.exports, createRequire(file), module, file, dir);
