/**
 * Structured one-line JSON logs on stderr (stdout carries only the CLI's own lines).
 * Secrets are redacted by key name and by shape before anything is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Whether a line at `level` would be written (lets a caller skip building its fields). */
  enabled?(level: LogLevel): boolean;
}

const SECRET_KEY = /(authorization|api[-_]?key|token|secret|password|cookie|x-goog-api-key)/i;
const SECRET_SHAPE = /\b(sk-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}|AIza[0-9A-Za-z_-]{20,}|ya29\.[0-9A-Za-z._-]+)/g;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_SHAPE, (s) => `${s.slice(0, 4)}…[redacted]`);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: { level?: LogLevel; write?: (line: string) => void } = {}): Logger & { level: LogLevel } {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const logger = {
    level: opts.level ?? ('info' as LogLevel),
    debug: (m: string, f?: Record<string, unknown>) => emit('debug', m, f),
    info: (m: string, f?: Record<string, unknown>) => emit('info', m, f),
    warn: (m: string, f?: Record<string, unknown>) => emit('warn', m, f),
    error: (m: string, f?: Record<string, unknown>) => emit('error', m, f),
    enabled: (level: LogLevel) => ORDER[level] >= ORDER[logger.level],
  };
  function emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[logger.level]) return;
    const rec = { t: new Date().toISOString(), level, msg: redact(msg), ...(fields ? (redact(fields) as object) : {}) };
    write(`${JSON.stringify(rec)}\n`);
  }
  return logger;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
