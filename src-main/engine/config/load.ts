import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import type { z } from 'zod';
import { configSchema, knownTopLevelKeys, type SwitchyardConfig } from '../../../src-shared/config/schema';
import { defaultConfigYaml } from './default-config';
import { didYouMean } from './suggest';
import { unsupportedSettingWarnings } from './unsupported';
import { writeFileAtomic } from '../util/atomic-write';

/** A config that could not be used; the message names the file, the key and the reason. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface ConfigIssue {
  /** Dotted key path, e.g. `openai-compatibility[0].base-url`. */
  key: string;
  line?: number;
  reason: string;
}

export interface LoadedConfig {
  file: string;
  config: SwitchyardConfig;
  /** Non-fatal findings (unknown keys). */
  warnings: string[];
  /** SHA-256 of the file bytes, to skip no-op reloads. */
  hash: string;
  text: string;
}

function formatIssue(file: string, i: ConfigIssue): string {
  const where = i.line ? `${file}:${i.line}` : file;
  return `${where}: ${i.key || '(top level)'}: ${i.reason}`;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Parse and validate config text. Throws ConfigError, and only ConfigError: whatever the YAML
 * library or a validator throws (an alias bomb's `ReferenceError`, a stack overflow on absurd
 * nesting) is a bad file, not a reason for the caller to crash.
 */
export function parseConfig(text: string, file: string, opts: { allowEmpty?: boolean } = {}): LoadedConfig {
  try {
    return parseConfigUnsafe(text, file, opts.allowEmpty ?? true);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(file, [{ key: '', reason: `cannot be read as YAML: ${(err as Error).message.split('\n')[0]}` }]);
  }
}

function parseConfigUnsafe(text: string, file: string, allowEmpty: boolean): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        key: '',
        line: e.linePos?.[0]?.line,
        reason: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  // An empty document on a save or reload is a truncated write or a slip, not "all defaults".
  if (!allowEmpty && (doc.contents === null || text.trim() === '')) {
    throw new ConfigError(file, [{ key: '', reason: 'the file is empty; write at least one setting (or {} for all defaults)' }]);
  }
  // maxAliasCount bounds the "billion laughs" expansion; the library throws past it.
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [{ key: '', reason: 'the file must be a YAML mapping of keys to values' }]);
  }
  const lineOf = (path: PropertyKey[]): number | undefined => {
    // Point at the key itself when the parent is a map; else at the value node.
    const parent = path.length ? (path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true)) : undefined;
    const node = doc.getIn(path as unknown[], true) as { range?: [number, number, number] } | undefined;
    const offset = (isMap(parent) ? findKeyOffset(parent, path[path.length - 1]) : undefined) ?? node?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  const parsed = configSchema.safeParse(raw, CONFIG_PARSE);
  if (!parsed.success) {
    throw new ConfigError(file, parsed.error.issues.map((issue) => toIssue(issue, lineOf)));
  }
  const warnings: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!knownTopLevelKeys.has(key)) {
      const line = lineOf([key]);
      warnings.push(`${line ? `${file}:${line}` : file}: unknown key "${key}" is ignored${didYouMean(key, knownTopLevelKeys)}`);
    }
  }
  warnings.push(...unsupportedSettingWarnings(parsed.data, file, lineOf));
  validateSemantics(parsed.data, file, lineOf);
  return { file, config: parsed.data, warnings, hash: hashText(text), text };
}

/**
 * zod's interpreted object parser, not its JIT: on an object schema's first parse the JIT writes
 * and compiles (new Function) a parser for it, for every object in the config schema, which was
 * most of a config parse, once per start and reload (~6 ms of every `serve` start; code made by
 * new Function is not in the CLI's code cache either). The result and the issues are the same
 * (test/unit/engine/config/load-jitless.test.ts); schemas parsed per request keep the JIT.
 */
const CONFIG_PARSE = { jitless: true } as const;

function findKeyOffset(map: unknown, key: PropertyKey): number | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key.range?.[0];
  }
  return undefined;
}

function toIssue(issue: z.core.$ZodIssue, lineOf: (p: PropertyKey[]) => number | undefined): ConfigIssue {
  const path = issue.path;
  const key = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  return { key, line: lineOf(path), reason: issue.message };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The key rule against the address actually listened on: while bound beyond loopback, a config
 * without client keys must not take effect (it would open the proxy to the network).
 */
export function listenIssue(boundHost: string | undefined, next: SwitchyardConfig): ConfigIssue | undefined {
  if (boundHost === undefined || isLoopbackHost(boundHost) || next['api-keys'].length > 0) return undefined;
  return {
    key: 'api-keys',
    reason: `the proxy is listening on ${boundHost} (beyond this machine) and this config has no api-keys; keep at least one key until it listens on loopback again (restart)`,
  };
}

function validateSemantics(
  cfg: SwitchyardConfig,
  file: string,
  lineOf: (p: PropertyKey[]) => number | undefined,
): void {
  const issues: ConfigIssue[] = [];
  if (!isLoopbackHost(cfg.host) && cfg['api-keys'].length === 0) {
    issues.push({
      key: 'host',
      line: lineOf(['host']),
      reason: `"${cfg.host}" is not a loopback address; set api-keys before exposing the proxy to the network`,
    });
  }
  cfg['openai-compatibility'].forEach((entry, i) => {
    const keys = [entry['api-key'], ...(entry['api-key-entries'] ?? []).map((e) => e['api-key']), ...(entry['api-keys'] ?? [])];
    if (!keys.some(Boolean)) {
      issues.push({
        key: `openai-compatibility[${i}]`,
        line: lineOf(['openai-compatibility', i]),
        reason: 'needs api-key or api-key-entries',
      });
    }
    try {
      new URL(entry['base-url']);
    } catch {
      issues.push({
        key: `openai-compatibility[${i}].base-url`,
        line: lineOf(['openai-compatibility', i, 'base-url']),
        reason: `"${entry['base-url']}" is not a URL`,
      });
    }
  });
  if (issues.length) throw new ConfigError(file, issues);
}

/**
 * Read the config file; create it with the commented defaults when it does not exist.
 * Throws ConfigError for an unreadable or invalid file (which is left untouched).
 */
export async function loadConfigFile(file: string, opts: { create?: boolean } = {}): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && opts.create) {
      text = defaultConfigYaml;
      await writeFileAtomic(file, text, { mode: 0o600 });
    } else {
      throw new ConfigError(file, [{ key: '', reason: `cannot read: ${(err as Error).message}` }]);
    }
  }
  return parseConfig(text, file);
}
