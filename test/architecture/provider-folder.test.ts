import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerList, providers } from '../../src-main/engine/providers';
import { OAUTH_PROVIDERS } from '../../src-main/engine/accounts/auths';
import { quotaSources } from '../../src-main/engine/quota';
import { modelListSources } from '../../src-main/engine/models/list-sources';
import { BUILTIN_CATALOG } from '../../src-main/engine/models/builtin-catalog';

/**
 * "A provider is one folder": outside `providers/<id>/`, a provider's id is written in exactly one
 * place — its line in the registration list (`providers/index.ts`). Every other list is derived.
 *
 * A few older spots still spell ids out for reasons other than "this provider exists" (config
 * vocabulary, CLIProxyAPI's auth-file format). They are listed below with the reason; the list can
 * only shrink (an entry that no longer occurs fails the test), and a provider added now must have
 * no entry at all — as GitHub Copilot, the last one added, has none.
 */
const ROOT = path.resolve(__dirname, '../..');
const PROVIDERS_DIR = 'src-main/engine/providers';
const REGISTRY = `${PROVIDERS_DIR}/index.ts`;

/** file → ids it may still spell out, and why. Owned by other layers; not "this provider exists" lists. */
const CONFIG_SECTION = 'the `openai-compatibility:` config section, which shares the id';
const LEGACY: Record<string, { ids: string[]; why: string }> = {
  'src-main/engine/routing/payload-rules.ts': {
    ids: ['openai-compatibility', 'gemini-api', 'vertex', 'claude-api', 'codex-api', 'claude', 'codex', 'gemini-cli', 'antigravity', 'qwen', 'iflow', 'kimi', 'xai'],
    why: 'words of the payload-rule config language (`protocol: gemini-cli`), some of them format families (routing owns it)',
  },
  'src-main/engine/accounts/registry-load.ts': { ids: ['claude'], why: 'placeholder provider of an unreadable file with no metadata (never routed)' },
  'src-main/engine/protocols/gemini/code-assist.ts': { ids: ['antigravity'], why: 'the Code Assist envelope\'s `userAgent: antigravity` value' },
  'src-main/engine/providers/config-accounts.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-main/engine/config/default-config.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-main/engine/config/load.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-main/engine/control/key-entries.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-main/engine/control/key-handlers.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-main/engine/control/key-edit.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-main/engine/management/config-routes.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-shared/config/schema.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
  'src-shared/domain/accounts.ts': { ids: ['openai-compatibility'], why: CONFIG_SECTION },
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.tsx?$/.test(name)) out.push(rel);
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `'copilot'`, `"copilot"`, `` `copilot` `` and an object key `copilot:` (comments do not count). */
function mentions(text: string, id: string): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return new RegExp(`(['"\`])${escape(id)}\\1|(^|[\\s{,(])${escape(id)}\\s*:(?!:)`, 'm').test(code);
}

/** Where each id is written outside its own folder. */
function occurrences(): Map<string, string[]> {
  const files = [...sourceFiles('src-main'), ...sourceFiles('src-shared')];
  const out = new Map<string, string[]>();
  for (const p of providerList) {
    const own = `${PROVIDERS_DIR}/${p.id}/`;
    out.set(
      p.id,
      files.filter((f) => !f.startsWith(own) && mentions(readFileSync(path.join(ROOT, f), 'utf8'), p.id)),
    );
  }
  return out;
}

/** Runtime (non-type) relative imports of one file, resolved to repo paths. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    return [`${base}.ts`, `${base}/index.ts`].filter((c) => { try { return statSync(path.join(ROOT, c)).isFile(); } catch { return false; } }).slice(0, 1);
  });
}

describe('a provider is one folder plus one registry line', () => {
  const found = occurrences();

  it('every provider has its own folder whose module registers under the folder name', () => {
    for (const p of providerList) {
      expect(statSync(path.join(ROOT, PROVIDERS_DIR, p.id, 'index.ts')).isFile(), p.id).toBe(true);
      expect(providers[p.id]).toBe(p);
    }
  });

  it('outside its folder, each id is written only in the registry (plus the listed legacy spots)', () => {
    for (const [id, files] of found) {
      expect(files, id).toContain(REGISTRY);
      const unexpected = files.filter((f) => f !== REGISTRY && !LEGACY[f]?.ids.includes(id));
      expect(unexpected, `"${id}" is spelled out outside its folder`).toEqual([]);
    }
  });

  it('the legacy list only shrinks: each listed spot still has the id it excuses', () => {
    for (const [file, { ids }] of Object.entries(LEGACY)) {
      for (const id of ids) expect(found.get(id), `${file} no longer mentions "${id}": drop it from LEGACY`).toContain(file);
    }
  });

  it('GitHub Copilot, the last provider added, is its folder and one registry line, nothing else', () => {
    expect(found.get('copilot')).toEqual([REGISTRY]);
    expect(Object.values(LEGACY).some((l) => l.ids.includes('copilot'))).toBe(false);
  });

  it('no provider folder reaches the registration list at load (that cycle would leave a folder\'s module undefined)', () => {
    for (const p of providerList) {
      const seen = new Set<string>();
      const stack = [`${PROVIDERS_DIR}/${p.id}/index.ts`];
      while (stack.length) {
        const f = stack.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        for (const i of runtimeImports(f)) {
          expect(i, `${f} imports the registry`).not.toBe(REGISTRY);
          stack.push(i);
        }
      }
    }
  });

  it('the engine lists are read from the folders: Copilot signs in, has a quota source, a model list and catalog facts', () => {
    expect(OAUTH_PROVIDERS).toContain('copilot');
    expect(quotaSources.copilot).toBe(providers.copilot.quota);
    expect(modelListSources.copilot).toBe(providers.copilot.modelList);
    expect(BUILTIN_CATALOG.copilot).toBe(providers.copilot.catalog);
    expect(providers.copilot.defaultModels).toEqual(providers.copilot.catalog.map((m) => m.id));
  });

  it('capabilities are declared, not guessed: only the upstreams with the endpoint embed or count tokens', () => {
    const withCap = (k: 'embeddings' | 'images' | 'countTokens' | 'streamOnly') => providerList.filter((p) => p.capabilities[k]).map((p) => p.id).sort();
    expect(withCap('embeddings')).toEqual(['gemini-api', 'openai-compatibility', 'vertex']);
    expect(withCap('countTokens')).toEqual(['claude-api', 'gemini-api', 'vertex']);
    expect(withCap('streamOnly')).toEqual(['codex']);
    expect(withCap('images')).toEqual(['antigravity', 'gemini-api', 'gemini-cli', 'openai-compatibility', 'vertex']);
  });
});
