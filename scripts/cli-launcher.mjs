#!/usr/bin/env node
// switchyard __SWITCHYARD_VERSION__: the `switchyard` command's entry (dist/cli/cli.js, generated
// from scripts/cli-launcher.mjs by scripts/build.mjs). It runs the CommonJS bundle next to it
// (switchyard.cjs) through V8's code cache: Node 20 has no module.enableCompileCache(), and
// compiling the 2–3 MB bundle from source is most of a cold start. The cache lives next to the bundle
// only (same owner and permissions as the code itself, never a shared temp folder: a cache is
// executable code) and starts with the identity of the bundle file it was made for (see fileKey),
// because V8 checks only the source's length.
// Only `serve` writes it, once it listens and has printed its start-up lines: V8 has compiled
// everything a start runs by then, so the cache holds all of it (a cache written by `--version`
// would hold a tenth and stay). Not later: under load, full GCs flush the bytecode of functions that
// ran only at start, and a cache written 10 s in held half of them.
//
// It also sizes V8's heap for a long-running proxy (see HEAP below): Node's defaults let the young
// generation grow to 2 × 16 MB and the old one to several times what is live, which made the engine
// ~210 MB under load for ~20 MB of live objects.
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
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
// Every new isolate (a worker thread: the usage history's WAL checkpoints) raises V8's process-wide
// --semi-space-growth-factor back to 2 as it sets its heap up, which undid the cap below: the young
// generation grew to V8's 2 x 16 MB (+30 MB resident). Set it again once a worker runs.
if (tuneYoung) process.on('worker', (w) => w.once('online', () => v8.setFlagsFromString(`--semi-space-growth-factor=${youngGrowth}`)));

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

/**
 * What the cache is checked against instead of a hash of the bundle's bytes (hashing 2–3 MB took
 * 6–11 ms of every start): the file's device, inode, size, and modification and status-change
 * times in nanoseconds, from one fstat of the open file. Every way a different bundle gets there
 * changes one of them: a build renames a new file into place (new inode and ctime), an install
 * extracts new files (new inodes and ctimes, whatever fixed mtime npm gives them), `cp -a` keeps
 * the mtime but not the inode or ctime, an edit in place changes mtime and ctime. The ctime
 * cannot be set by anyone (utimes sets it to now). The file is stat'ed again after the read: a
 * write seen while it was read gives no key, so no cache is used or written for that start (the
 * times move with the kernel's clock tick, so two writes in place within one tick look alike;
 * builds and installs never write the bundle in place).
 */
function fileKey(st) {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}
/** The cache file's first line: the format, the bundle's key, and S (made by a started `serve`). */
const header = (key) => Buffer.from(`switchyard-code-cache 2 ${key} S\n`);

/**
 * The bundle's text, and its key. The bundle is ASCII (the build refuses any other byte:
 * asciiOnly in scripts/cli-build.mjs), so latin1 reads it exactly and gives V8 a one-byte string
 * in one copy.
 */
function readBundle() {
  const fd = openSync(file, 'r');
  try {
    const before = fileKey(fstatSync(fd, { bigint: true }));
    const source = readFileSync(fd, 'latin1');
    return { source, key: fileKey(fstatSync(fd, { bigint: true })) === before ? before : undefined };
  } finally {
    closeSync(fd);
  }
}

/** Compile the bundle (with the cache when it matches); the cache's bytes are not kept. */
function compile() {
  const { source, key } = readBundle();
  let cachedData;
  if (useCache && key) {
    try {
      const c = readFileSync(cacheFile);
      const head = header(key);
      if (c.subarray(0, head.length).equals(head)) cachedData = c.subarray(head.length);
    } catch {
      // no cache yet: compile from source and write one below
    }
  }
  // The file is the bundle inside CommonJS's module wrapper (scripts/cli-build.mjs): its text
  // goes to V8 as it is, with no copy of it made here.
  const script = new vm.Script(source, { filename: file, cachedData });
  return { script, key, fresh: !cachedData || script.cachedDataRejected };
}

/**
 * Caches made for an earlier bundle can never be used again (each is ~2 MB, one per flag set and
 * build): they go when a cache for this bundle is written. Caches of this bundle made under
 * other flags (another NODE_OPTIONS, a profiler) stay for their next start.
 */
function pruneOtherBundlesCaches(key) {
  const head = header(key);
  for (const name of readdirSync(dir)) {
    const f = path.join(dir, name);
    if (f === cacheFile || !/^switchyard\.cjs\.[0-9a-f]{8}\.cache$/.test(name)) continue;
    try {
      const fd = openSync(f, 'r');
      const first = Buffer.alloc(head.length);
      try {
        readSync(fd, first, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
      if (!first.equals(head)) unlinkSync(f);
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function scheduleCacheWrite(script, key) {
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
      writeFileSync(tmp, Buffer.concat([header(key), data]), { mode: 0o644 });
      renameSync(tmp, cacheFile);
      pruneOtherBundlesCaches(key);
    } catch {
      // as above
    }
  };
  process.once('switchyard:listening', () => setImmediate(write));
}

const { script, key, fresh } = compile();
const compiled = script.runInThisContext();
const serving = process.argv.slice(2).includes('serve');
if (fresh && useCache && key && serving) scheduleCacheWrite(script, key);
// `serve` emits this once it listens (src-main/cli/serve.ts).
if (serving && tuneYoung) process.once('switchyard:listening', capYoungGeneration);
const module = { exports: {} };
compiled.call(module.exports, module.exports, createRequire(file), module, file, dir);
