import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
  const abs = path.join(root, dir);
  let out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(abs);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(abs, e);
    if (statSync(p).isDirectory()) out = out.concat(files(path.join(dir, e)));
    else if (/\.(ts|tsx)$/.test(e)) out.push(path.join(dir, e));
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

describe('import boundaries', () => {
  it('the engine never imports electron (it runs headless)', () => {
    const offenders = files('src-main/engine').filter((f) => imports(f).some((i) => i === 'electron' || i.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });

  it('only src-main/shell and src-main/main.ts import electron', () => {
    const all = [...files('src-main'), ...files('src-shared'), ...files('src-renderer')];
    const offenders = all.filter((f) => !f.startsWith('src-main/shell/') && f !== 'src-main/main.ts' && imports(f).includes('electron'));
    expect(offenders).toEqual([]);
  });

  it('src-shared and src-renderer use no Node built-ins', () => {
    const nodeish = /^(node:|fs$|path$|os$|child_process$|crypto$|net$|http$)/;
    const offenders = [...files('src-shared'), ...files('src-renderer')].filter((f) => imports(f).some((i) => nodeish.test(i)));
    expect(offenders).toEqual([]);
  });

  it('the renderer never reaches into the main process code', () => {
    const offenders = files('src-renderer').filter((f) => imports(f).some((i) => i.includes('src-main')));
    expect(offenders).toEqual([]);
  });
});
