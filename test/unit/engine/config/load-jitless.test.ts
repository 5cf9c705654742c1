import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultConfigYaml } from '../../../../src-main/engine/config/default-config';
import { configSchema } from '../../../../src-shared/config/schema';

/**
 * The loader parses config files with zod's interpreted object parser (`jitless`), not the parser
 * zod's JIT compiles on a schema's first use: it is cheaper for a parse that runs once per start.
 * That must change nothing: for any document, both give the same config (values, defaults, key
 * order, unknown keys kept) or the same issues (codes, paths, messages).
 */
const RICH = `
host: 0.0.0.0
port: 9000
api-keys: [k1, k2]
debug: true
request-retry: 1
client-timeouts: { headers-seconds: 10 }
routing: { strategy: fill-first, session-affinity: true, session-affinity-ttl: 30m }
quota-exceeded: { switch-project: false }
gemini-api-key:
  - api-key: g1
    prefix: g
    headers: { x-a: b }
    models: [{ name: gemini-2.5-pro, alias: pro, reasoning: high }]
    excluded-models: [gemini-1*]
    priority: 2
    weight: 5
claude-api-key:
  - { api-key: c1, base-url: "https://api.anthropic.com", disabled: false, label: main, extra-key: kept }
codex-api-key: [{ api-key: x1 }]
vertex-api-key: [{ api-key: v1, proxy-url: "socks5://127.0.0.1:1080" }]
openai-compatibility:
  - name: router
    base-url: https://openrouter.ai/api/v1
    api-key-entries: [{ api-key: sk-1, proxy-url: "" }]
    api-keys: [legacy]
    models: [{ name: moonshotai/kimi-k2, alias: kimi, fork: true }]
oauth-excluded-models: { claude: [claude-3*] }
oauth-model-alias: { codex: [{ name: gpt-5, alias: g5 }] }
payload:
  default: [{ models: [{ name: "gpt-*", protocol: openai }], params: { temperature: 0.2 } }]
  override: [{ params: { top_p: 1 } }]
  filter: [{ models: [{ name: "*" }], params: [metadata] }]
remote-management: { secret-key: s, allow-remote: true }
streaming: { keepalive-seconds: 15, bootstrap-retries: 1 }
usage-sqlite: { enable: false, db-path: /tmp/u.db }
usage-retention-days: 30
secret-store: file
quota: { poll-minutes: 5 }
host-overrides: { "https://api.openai.com": "http://127.0.0.1:9999" }
request-timeout-seconds: 60
limits: { upstream-body-mb: 8 }
tls: { enable: false }
unknown-top: 1
`;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a document (object keys and array indexes), the root excluded. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

/** A deep copy of `doc` with the value at `path` replaced (or removed when `value` is undefined). */
function mutate(doc: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function expectSameParse(raw: unknown): void {
  const jit = configSchema.safeParse(raw);
  const jitless = configSchema.safeParse(raw, { jitless: true });
  expect(jitless.success).toBe(jit.success);
  if (jit.success && jitless.success) {
    expect(jitless.data).toStrictEqual(jit.data);
    // Key order decides how a saved config reads; toStrictEqual does not compare it.
    expect(JSON.stringify(jitless.data)).toBe(JSON.stringify(jit.data));
  } else {
    expect(jitless.error?.issues).toStrictEqual(jit.error?.issues);
  }
}

describe('config parsing without zod’s JIT', () => {
  const rich = parse(RICH) as Json;

  it('gives the same config for the default file, an empty one and a file using every section', () => {
    for (const raw of [parse(defaultConfigYaml) ?? {}, {}, rich]) {
      expect(configSchema.safeParse(raw).success).toBe(true);
      expectSameParse(raw);
    }
  });

  it('gives the same config or the same issues when any value of a full config is replaced or removed (500 runs, seeded)', () => {
    const all = paths(rich);
    const edits = fc.array(fc.tuple(fc.constantFrom(...all), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined })), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(edits, (list) => {
        let doc = rich;
        for (const [path, value] of list) {
          try {
            doc = mutate(doc, path, value as Json | undefined);
          } catch {
            // an earlier edit removed or replaced the path's parent
          }
        }
        expectSameParse(doc);
      }),
      { seed: 78, numRuns: 500 },
    );
  });

  it('gives the same issues for values of the wrong type at the top level (300 runs, seeded)', () => {
    const keys = Object.keys(configSchema.shape);
    const doc = fc.dictionary(fc.constantFrom(...keys, 'other'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
    fc.assert(fc.property(doc, (d) => expectSameParse(d)), { seed: 90, numRuns: 300 });
  });
});
