import type { SecretStore } from '../accounts/secret-store';
import { MalformedAuthFileError } from '../accounts/auth-file';
import { SealedRecordError } from './crypto/envelope';

export interface RotationReport {
  resealed: number;
  /** Records that could not be opened (wrong key, malformed): left exactly as they were. */
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * `switchyard keys rotate`: re-seal every stored account with the current master key. Run with
 * `SWITCHYARD_MASTER_KEY=<new>,<old>`: old records open with the old key and are written back with
 * the new one; plaintext CLIProxyAPI files are sealed on the way. A record that cannot be opened is
 * reported and never touched, so a wrong key can lose nothing.
 */
export async function rotateSecrets(store: SecretStore): Promise<RotationReport> {
  const report: RotationReport = { resealed: 0, skipped: [] };
  for (const id of await store.list()) {
    try {
      const record = await store.get(id);
      if (!record) continue;
      await store.set(id, record);
      report.resealed++;
    } catch (err) {
      if (!(err instanceof SealedRecordError) && !(err instanceof MalformedAuthFileError)) throw err;
      report.skipped.push({ id, reason: err.message });
    }
  }
  return report;
}
