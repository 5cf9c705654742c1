import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The device identity kimi-cli sends with every Kimi Code call (`X-Msh-*`). The device id is
 * one per install: a hex UUID kept in the data dir (`kimi-device-id`), created on first use,
 * so the subscription sees one stable device instead of a new one per request or restart.
 */
export const KIMI_CLI_VERSION = '1.41.0';
export const KIMI_USER_AGENT = `KimiCLI/${KIMI_CLI_VERSION}`;
const FILE = 'kimi-device-id';

let deviceId: string | undefined;

/** Header values must be printable ASCII; host names may not be. */
function ascii(value: string, fallback = 'unknown'): string {
  const v = value.trim();
  return v && /^[\x20-\x7E]+$/.test(v) ? v : fallback;
}

/** Load (or create) the install's device id from the data dir. Call once at start-up. */
export function loadKimiDeviceId(dataDir: string): string {
  const file = path.join(dataDir, FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{16,64}$/i.test(existing)) return (deviceId = existing);
  } catch {
    // not there yet: created below
  }
  const id = randomUUID().replace(/-/g, '');
  try {
    mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, id, { encoding: 'utf8', mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // A read-only data dir still gets a stable id for this process.
  }
  return (deviceId = id);
}

/** The id in use (a process-wide one when start-up did not load it from a data dir). */
export function kimiDeviceId(): string {
  return (deviceId ??= randomUUID().replace(/-/g, ''));
}

/**
 * kimi-cli's identity headers (lower-case names, as our header bags keep them). An account that
 * carries its own `device_id` (its auth file: a CLIProxyAPI / kimi-cli sign-in, bound to that
 * device) keeps it; otherwise the install's id.
 */
export function kimiIdentityHeaders(accountDeviceId?: unknown): Record<string, string> {
  return {
    'user-agent': KIMI_USER_AGENT,
    'x-msh-platform': 'kimi_cli',
    'x-msh-version': KIMI_CLI_VERSION,
    'x-msh-device-name': ascii(os.hostname()),
    'x-msh-device-model': ascii(`${os.type()} ${os.release()} ${os.arch()}`),
    'x-msh-os-version': ascii(os.release()),
    'x-msh-device-id': typeof accountDeviceId === 'string' && /^[\x21-\x7E]{1,128}$/.test(accountDeviceId) ? accountDeviceId : kimiDeviceId(),
  };
}
