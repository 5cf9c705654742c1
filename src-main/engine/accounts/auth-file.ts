import { z } from 'zod';
import { authFor, isOAuthProvider, OAUTH_PROVIDERS } from './auths';
import type { ProviderAuth } from './provider-auth';
import type { AuthRecord, OAuthProviderId, TokenSet } from './types';

/**
 * CLIProxyAPI's auth-file format (PROTOCOLS.md §5.3): one JSON object per account, `type` names
 * the provider (`gemini` means gemini-cli), tokens sit at the top level (Gemini also nests them in
 * `token{}`), expiry is `expired` (RFC 3339), `expiry`, or `timestamp` + `expires_in` (Antigravity).
 */

const nestedToken = z.looseObject({
  access_token: z.string().optional(),
  refresh_token: z.string().optional(),
  expiry: z.string().optional(),
  token_type: z.string().optional(),
});

export const authFileSchema = z.looseObject({
  type: z.string().min(1),
  access_token: z.string().optional(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  expired: z.string().optional(),
  expiry: z.string().optional(),
  expires_in: z.number().optional(),
  timestamp: z.number().optional(),
  email: z.string().optional(),
  disabled: z.boolean().optional(),
  prefix: z.string().optional(),
  priority: z.number().optional(),
  project_id: z.string().optional(),
  token: nestedToken.optional(),
});

export class MalformedAuthFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`auth file ${file} is malformed (${reason}); it was left untouched`);
    this.name = 'MalformedAuthFileError';
  }
}

/** Parse file text into an AuthRecord, or throw MalformedAuthFileError naming the file. */
export function parseAuthFile(file: string, text: string): AuthRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text around the error: a token prefix. Keep the position only.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new MalformedAuthFileError(file, text.trim() === '' ? 'not JSON (empty file)' : `not JSON${at ? ` (syntax error at byte ${at})` : ''}`);
  }
  const r = authFileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    // Key path and expectation only; zod messages do not quote values.
    throw new MalformedAuthFileError(file, `${issue.path.join('.').slice(0, 80) || 'root'}: ${issue.message}`);
  }
  if (!providerOfRecord(r.data)) {
    // Quoted only when it looks like a provider name: a pasted token in `type` stays out of logs.
    const t = r.data.type;
    throw new MalformedAuthFileError(file, /^[a-z][a-z0-9-]{0,23}$/.test(t) ? `unsupported type "${t}"` : 'unsupported type');
  }
  if (!tokensOf(r.data)) throw new MalformedAuthFileError(file, 'no access_token');
  return r.data as AuthRecord;
}

/** The provider an auth file belongs to: its `type` is a provider id or a file type an auth flow declares (`gemini`). */
export function providerOfRecord(rec: AuthRecord): OAuthProviderId | undefined {
  const t = rec.type;
  if (typeof t !== 'string') return undefined;
  if (isOAuthProvider(t)) return t;
  return OAUTH_PROVIDERS.find((id) => authFor(id).authFile?.type === t);
}

/** The `type` value CLIProxyAPI writes for a provider. */
export function fileTypeOf(provider: OAuthProviderId): string {
  return fileFacts(provider)?.type ?? provider;
}

function fileFacts(provider: OAuthProviderId): NonNullable<ProviderAuth['authFile']> | undefined {
  return isOAuthProvider(provider) ? authFor(provider).authFile : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function parseTime(v: unknown): number | undefined {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

/** Read tokens out of a record; undefined when there is no access token. */
export function tokensOf(rec: AuthRecord): TokenSet | undefined {
  const nested = (rec.token && typeof rec.token === 'object' ? rec.token : {}) as Record<string, unknown>;
  const accessToken = str(rec.access_token) ?? str(nested.access_token);
  if (!accessToken) return undefined;
  let expiresAt = parseTime(rec.expired) ?? parseTime(rec.expiry) ?? parseTime(nested.expiry);
  if (expiresAt === undefined && typeof rec.timestamp === 'number' && typeof rec.expires_in === 'number') {
    expiresAt = rec.timestamp + rec.expires_in * 1000;
  }
  return {
    accessToken,
    refreshToken: str(rec.refresh_token) ?? str(nested.refresh_token),
    idToken: str(rec.id_token),
    expiresAt,
    tokenType: str(rec.token_type) ?? str(nested.token_type),
    scope: str(rec.scope),
  };
}

/**
 * A copy of `rec` with new tokens written in the provider's own layout. Fields not named here are
 * kept, so a file written by CLIProxyAPI stays readable by it after we refresh it.
 */
export function withTokens(rec: AuthRecord, provider: OAuthProviderId, t: TokenSet, now: number): AuthRecord {
  const layout = fileFacts(provider)?.layout;
  const out: AuthRecord = { ...rec, type: rec.type ?? fileTypeOf(provider), access_token: t.accessToken };
  if (t.refreshToken) out.refresh_token = t.refreshToken;
  if (t.idToken) out.id_token = t.idToken;
  if (t.tokenType) out.token_type = t.tokenType;
  if (t.scope && layout !== 'google-oauth2') out.scope = t.scope;
  const expiry = t.expiresAt !== undefined ? new Date(t.expiresAt).toISOString() : undefined;
  out.last_refresh = new Date(now).toISOString();
  if (expiry) out.expired = expiry;
  if (layout === 'google-oauth2') {
    const nested = (rec.token && typeof rec.token === 'object' ? rec.token : {}) as Record<string, unknown>;
    out.token = {
      ...nested,
      access_token: t.accessToken,
      ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
      token_type: t.tokenType ?? 'Bearer',
      ...(expiry ? { expiry } : {}),
    };
    if (expiry) out.expiry = expiry;
  }
  if (layout === 'timestamp' && t.expiresAt !== undefined) {
    out.timestamp = now;
    out.expires_in = Math.max(0, Math.round((t.expiresAt - now) / 1000));
  }
  return out;
}

/** File-name-safe piece of an e-mail or label. */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9@._+-]+/g, '_').slice(0, 120);
}

/**
 * The account id: CLIProxyAPI's file name without `.json` (`claude-<email>`, `gemini-<email>-<project>`,
 * `kimi-<ms>`), so imported files and our own sign-ins share one naming scheme.
 */
export function accountIdFor(provider: OAuthProviderId, label: string | undefined, opts: { projectId?: string; now: number }): string {
  const prefix = fileTypeOf(provider);
  const who = label ? slug(label) : String(opts.now);
  if (fileFacts(provider)?.idWithProject) return `${prefix}-${who}-${slug(opts.projectId ?? 'auto')}`;
  return `${prefix}-${who}`;
}
