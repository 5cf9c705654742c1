import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { protocols } from '../../src-main/engine/protocols';
import type { Protocol } from '../../src-main/engine/protocols/protocol';
import { ROUTES, matchRoute, wireForUnmatchedPath } from '../../src-main/engine/server/route-table';

/**
 * Issue 15 point 4: a wire format is one folder plus one registry line. The Ollama API was
 * added that way, so its name may appear in the sources only inside its folder and on the
 * registry's lines (its import and its entry); tests and the renderer may name it freely.
 */

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  const out: string[] = [];
  for (const e of readdirSync(abs)) {
    const rel = path.join(dir, e);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mjs|js)$/.test(e)) out.push(rel);
  }
  return out;
}

/** Lines naming `word` outside `folder`, as `file:line: text`. */
function mentionsOutside(word: RegExp, folder: string): string[] {
  const hits: string[] = [];
  for (const f of [...sourceFiles('src-main'), ...sourceFiles('src-shared')]) {
    if (f.startsWith(folder)) continue;
    readFileSync(path.join(root, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (word.test(line)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  return hits;
}

const REGISTRY = 'src-main/engine/protocols/index.ts';
const modules = Object.entries(protocols) as Array<[string, Protocol]>;

describe('a wire format is one folder plus one registry line', () => {
  it('names Ollama outside protocols/ollama/ only on the registry lines (import and entry)', () => {
    const hits = mentionsOutside(/ollama/i, 'src-main/engine/protocols/ollama/');
    expect(hits.map((h) => h.split(':')[0])).toEqual([REGISTRY, REGISTRY]);
    expect(hits[0]).toMatch(/import \{ ollamaModule \} from '\.\/ollama\/module'/);
    expect(hits[1]).toMatch(/^\S+:\d+: ollama: ollamaModule,$/);
  });

  it('keys the registry by each module’s own id (ProtocolId is derived from these keys)', () => {
    for (const [key, p] of modules) expect(p.id, key).toBe(key);
  });

  it('builds the route table from the modules: every format route comes from exactly one module, in its format', () => {
    const fromModules = modules.flatMap(([id, p]) => (p.routes ?? []).map((r) => ({ id: r.id, wire: id })));
    const server = ROUTES.filter((r) => !fromModules.some((m) => m.id === r.id));
    // Only Switchyard's own public routes are not a wire format's.
    expect(server.map((r) => r.id).sort()).toEqual(['healthz', 'root']);
    for (const m of fromModules) expect(ROUTES.find((r) => r.id === m.id)?.wire, m.id).toBe(m.wire);
    expect(new Set(ROUTES.map((r) => r.id)).size).toBe(ROUTES.length);
  });

  it('serves the Ollama routes and Ollama-shaped 404s from the module’s declarations alone', () => {
    expect(matchRoute('POST', '/api/chat')?.spec).toMatchObject({ id: 'ollama-chat', wire: 'ollama', hot: true, handler: { kind: 'generate', passthrough: false } });
    expect(matchRoute('GET', '/api/tags')?.spec).toMatchObject({ wire: 'ollama', handler: { kind: 'models' } });
    expect(wireForUnmatchedPath('/api/nothing')).toBe('ollama');
  });

  it('keeps format rules out of the pipeline: passthrough guards and token counting are the module’s', () => {
    const pipeline = sourceFiles('src-main/engine/pipeline');
    const named = pipeline.filter((f) => /protocols\/(claude-messages|gemini|openai-chat|openai-responses|ollama)\b/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(named).toEqual([]);
    expect(protocols['claude-messages'].canPassThrough?.({ messages: [] })).toBe(true);
    expect(Object.keys(protocols).filter((id) => protocols[id as keyof typeof protocols].countTokens).sort()).toEqual(['claude-messages', 'gemini']);
  });
});
