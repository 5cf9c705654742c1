import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError, parseConfig } from '../../src-main/engine/config/load';

/**
 * D4's class as a property: whatever text a config file holds, parsing either yields a config or
 * throws ConfigError — never another exception (which a hot reload would not expect).
 * Seeded and bounded so the run is the same every time.
 */
function parsesOrConfigError(text: string): void {
  try {
    parseConfig(text, '/tmp/config.yaml', { allowEmpty: false });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError for ${JSON.stringify(text.slice(0, 200))}: ${(err as Error).stack}`);
  }
}

const YAML_BITS = ['&a ', '*a', '<<: *a', '!!binary ', '!!js/function ', '? ', '- ', ': ', '{', '}', '[', ']', '|', '>', '---\n', '...\n', '%YAML 1.2\n', '\t', '  ', '\n', '#', '"', "'", '\\', '__proto__', 'api-keys', 'host', 'port', '0x10', '1e400', '.inf', '~', 'null'];
const KEYS = ['host', 'port', 'api-keys', 'routing', 'openai-compatibility', 'claude-api-key', 'oauth-model-alias', 'payload', 'remote-management', '__proto__', 'constructor', 'toString'];

describe('config parsing never throws anything but ConfigError', () => {
  it('arbitrary text (1,000 runs, seeded)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => parsesOrConfigError(s)), { seed: 12, numRuns: 1000 });
  });

  it('YAML-shaped text built from anchors, aliases, tags and flow syntax (1,000 runs, seeded)', () => {
    const yamlish = fc.array(fc.constantFrom(...YAML_BITS, 'a', 'b', '1', 'x: y\n'), { maxLength: 80 }).map((parts) => parts.join(''));
    fc.assert(fc.property(yamlish, (s) => parsesOrConfigError(s)), { seed: 34, numRuns: 1000 });
  });

  it('well-formed YAML of arbitrary values under real and prototype-named keys (300 runs, seeded)', () => {
    const doc = fc.dictionary(fc.constantFrom(...KEYS), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    fc.assert(
      fc.property(doc, (d) => {
        parsesOrConfigError(stringify(d));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: 56, numRuns: 300 },
    );
  });

  it('alias bombs of any depth and width are a ConfigError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 12 }), (depth, width) => {
        const lines = [`l0: &l0 [${Array(width).fill('x').join(', ')}]`];
        for (let i = 1; i < depth; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
        parsesOrConfigError(lines.join('\n'));
      }),
      { seed: 78, numRuns: 60 },
    );
  });
});
