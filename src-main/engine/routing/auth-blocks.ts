import type { WireError } from '../protocols/protocol';
import type { Account } from '../providers/provider';
import type { Candidate } from './types';

/** An account whose credential the upstream rejected (401/403): not cooling, blocked until fixed. */
export interface AuthBlock {
  accountId: string;
  label: string;
  provider: string;
  kind: 'needs-sign-in' | 'invalid-key';
  /** What the upstream answered: 401, or 403 when it said forbidden. */
  status: 401 | 403;
  message?: string;
  at: number;
  /** The credential that was rejected (hash); a different one lifts the block. */
  fingerprint?: string;
  /** Client model names it was asked for, so a signed-out account still explains itself. */
  models: Set<string>;
  candidate: Candidate;
}

/**
 * Credentials the upstream refused (issue 14 point 4). A block is not a cooldown: it has no
 * end time, shows as `needs sign-in` / `invalid key`, and lifts at once when the credential
 * changes — a corrected key in config.yaml (hot reload), a new sign-in, a refreshed token —
 * which `fingerprint` detects without ever holding the secret itself.
 */
export class AuthBlocks {
  private readonly map = new Map<string, AuthBlock>();
  /** Moves whenever a block is set or lifted (see CooldownBook.generation). */
  generation = 0;

  constructor(private readonly fingerprint: (account: Account) => string | undefined = () => undefined) {}

  block(c: Candidate, status: number, model: string, message: string | undefined, now: number): AuthBlock {
    const prev = this.map.get(c.account.id);
    const b: AuthBlock = {
      accountId: c.account.id,
      label: c.account.label,
      provider: c.account.provider,
      kind: c.account.kind === 'oauth' ? 'needs-sign-in' : 'invalid-key',
      status: status === 403 ? 403 : 401,
      at: now,
      models: new Set([...(prev?.models ?? []), model, c.clientModel]),
      candidate: c,
    };
    if (message) b.message = message;
    const fp = this.fingerprint(c.account);
    if (fp !== undefined) b.fingerprint = fp;
    this.map.set(c.account.id, b);
    this.generation++;
    return b;
  }

  /** The live block of an account, or undefined (also when its credential changed since). */
  get(account: Account): AuthBlock | undefined {
    const b = this.map.get(account.id);
    if (!b) return undefined;
    const fp = this.fingerprint(account);
    if (b.fingerprint !== undefined && fp !== undefined && fp !== b.fingerprint) {
      this.map.delete(account.id);
      this.generation++;
      return undefined;
    }
    return b;
  }

  /** Whether the account has a block on record (its credential not re-checked). */
  has(accountId: string): boolean {
    return this.map.has(accountId);
  }

  clear(accountId?: string): number {
    if (accountId === undefined) {
      const n = this.map.size;
      this.map.clear();
      if (n) this.generation++;
      return n;
    }
    if (!this.map.delete(accountId)) return 0;
    this.generation++;
    return 1;
  }

  /**
   * After the account list changed: key entries that are gone were edited or removed (their id
   * hashes the key), so their blocks go. A signed-out OAuth account leaves the list too, but its
   * block stays to explain why its models are not served.
   */
  prune(accounts: readonly Account[]): void {
    const ids = new Set(accounts.map((a) => a.id));
    for (const [id, b] of this.map) {
      if (ids.has(id) || b.candidate.account.kind === 'oauth') continue;
      this.map.delete(id);
      this.generation++;
    }
  }

  /** Blocks of accounts no longer routable that were asked for this model. */
  forModel(model: string): AuthBlock[] {
    return [...this.map.values()].filter((b) => b.models.has(model));
  }

  all(): AuthBlock[] {
    return [...this.map.values()];
  }
}

/** One line per account: what happened and what to do. */
export function describeBlock(b: AuthBlock): string {
  const said = b.message ? ` (upstream ${b.status}: ${b.message})` : ` (upstream ${b.status})`;
  return b.kind === 'needs-sign-in'
    ? `The account "${b.label}" needs a new sign-in${said}: sign in again with \`switchyard login ${b.provider}\`.`
    : `The key for ${b.label} was rejected${said}: fix or replace it in config.yaml (or the Accounts page); the next request uses the new key at once.`;
}

/** The client's answer while only blocked accounts could serve: 401/403, no Retry-After. */
export function authBlockedError(model: string, blocks: AuthBlock[]): WireError {
  const forbidden = blocks.every((b) => b.status === 403);
  const signIn = blocks.every((b) => b.kind === 'needs-sign-in');
  return {
    status: forbidden ? 403 : 401,
    kind: forbidden ? 'permission' : 'authentication',
    code: signIn ? 'needs_sign_in' : 'invalid_api_key',
    message: `No account can serve model ${model}: ${blocks.map(describeBlock).join(' ')}`,
    details: {
      model,
      accounts: blocks.map((b) => ({ id: b.accountId, label: b.label, provider: b.provider, status: b.kind === 'needs-sign-in' ? 'needs sign-in' : 'invalid key' })),
    },
  };
}
