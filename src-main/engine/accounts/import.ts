import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MalformedAuthFileError, parseAuthFile, providerOfRecord } from './auth-file';
import type { AccountRegistry } from './registry';

export interface ImportReport {
  imported: Array<{ id: string; provider: string; label: string; replaced: boolean }>;
  skipped: Array<{ file: string; reason: string }>;
}

/**
 * Import CLIProxyAPI auth files from a directory. Each file keeps its name as the account id;
 * malformed or unsupported files are reported and skipped, and the source files are never touched.
 */
export async function importAuthDir(dir: string, registry: AccountRegistry): Promise<ImportReport> {
  const report: ImportReport = { imported: [], skipped: [] };
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch (err) {
    throw new Error(`cannot read ${dir}: ${(err as Error).message}`);
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const id = name.slice(0, -'.json'.length);
    if (!/^[A-Za-z0-9@._+-]{1,200}$/.test(id)) {
      report.skipped.push({ file, reason: 'file name has characters an account id cannot carry' });
      continue;
    }
    try {
      const text = await fs.readFile(file, 'utf8');
      let record;
      try {
        record = parseAuthFile(file, text);
      } catch (err) {
        // Vertex service-account files are API-key style: the config's vertex entries cover them.
        const type = safeType(text);
        if (type && !providerOfRecord({ type })) {
          report.skipped.push({ file, reason: `type "${type}" is not a sign-in provider` });
          continue;
        }
        throw err;
      }
      const provider = providerOfRecord(record)!;
      const replaced = registry.entry(id) !== undefined;
      const label = (typeof record.email === 'string' && record.email) || id;
      await registry.add({
        provider,
        id,
        record,
        label,
        projectId: typeof record.project_id === 'string' && record.project_id ? record.project_id : undefined,
        prefix: typeof record.prefix === 'string' && record.prefix ? record.prefix : undefined,
        priority: typeof record.priority === 'number' ? record.priority : undefined,
        disabled: record.disabled === true ? true : undefined,
      });
      report.imported.push({ id, provider, label, replaced });
    } catch (err) {
      report.skipped.push({ file, reason: err instanceof MalformedAuthFileError ? err.message : (err as Error).message });
    }
  }
  return report;
}

function safeType(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as { type?: unknown };
    return typeof v?.type === 'string' ? v.type : undefined;
  } catch {
    return undefined;
  }
}
