import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Logger } from './log/logger';
import type { AccountRegistry, TokenCache } from './accounts';
import type { Account } from './providers/provider';
import type { CredentialSource, PipelineObserver, RequestRecord } from './pipeline/types';
import { usageFromRequestRecord, type UsageRecord } from './usage';
import type { TeamStore } from './team';
import type { EngineState } from '../../src-shared/domain/status';

/** How many finished requests the live log keeps in memory. */
const RECENT_REQUESTS = 500;

export type EngineEvents = EventEmitter<{ request: [RequestRecord]; usage: [UsageRecord]; state: [EngineState] }>;

/** Where the engine's secrets live: key entries from the config, OAuth tokens in the cache. */
export interface SecretSources {
  tokens: () => TokenCache | undefined;
  registry: () => AccountRegistry | undefined;
  keyById: () => ReadonlyMap<string, string>;
}

/** A fresh credential for any account: the configured key, or an OAuth token from the cache. */
export function createCredentialSource(s: SecretSources): CredentialSource {
  return {
    get: async (account) => {
      const tokens = s.tokens();
      if (account.kind === 'oauth' && tokens) return tokens.getCredential(account.id);
      const key = s.keyById().get(account.id);
      if (key === undefined) throw new Error(`no credential for account ${account.id}`);
      return key;
    },
    peek: (account) => (account.kind === 'oauth' && s.tokens() ? undefined : s.keyById().get(account.id)),
    refreshAfterUnauthorized: async (account) => {
      const tokens = s.tokens();
      return account.kind === 'oauth' && tokens ? tokens.onUnauthorized(account.id) : false;
    },
  };
}

/**
 * A hash of what the account authenticates with (key and entry settings, or the access token),
 * so routing lifts a rejected-credential block as soon as it changes. Never the secret itself.
 */
export function credentialFingerprint(s: SecretSources, a: Account): string | undefined {
  const secret = a.kind === 'oauth' ? s.registry()?.tokens(a.id)?.accessToken : s.keyById().get(a.id);
  if (secret === undefined) return undefined;
  return createHash('sha256').update(`${secret}\u0000${JSON.stringify(a.headers ?? {})}\u0000${a.proxyUrl ?? ''}`).digest('hex').slice(0, 16);
}

export interface ObserverSinks {
  logger: Logger;
  /** Extra observers, in order (the quota book first); the array may grow later. */
  observers: readonly PipelineObserver[];
  /** The history's intake (it may not be open yet: see engine-usage.ts). */
  usage: () => { record(r: UsageRecord | RequestRecord): void } | undefined;
  team?: TeamStore;
  events: EngineEvents;
  recentRequests: RequestRecord[];
}

/** The one observer the pipeline sees: history, live log and events, then every extra observer. */
export function createEngineObserver(s: ObserverSinks): PipelineObserver {
  return {
    onUpstreamHeaders: (a, st, h) => {
      for (const o of s.observers) o.onUpstreamHeaders?.(a, st, h);
    },
    onUpstreamError: (a, f) => {
      for (const o of s.observers) o.onUpstreamError?.(a, f);
    },
    onRequestDone: (r: RequestRecord) => {
      if (s.logger.enabled?.('debug') ?? true) s.logger.debug('request', { id: r.requestId, model: r.requestedModel, status: r.status, ms: Math.round(r.latencyMs) });
      // The usage record is built here only for whoever reads it now (team store, live log), once;
      // otherwise the history takes the request record as it is and converts it when its batch is written.
      const u = s.team || s.events.listenerCount('usage') > 0 ? usageFromRequestRecord(r) : undefined;
      s.usage()?.record(u ?? r);
      if (u) {
        s.team?.usage.record(u);
        s.events.emit('usage', u);
      }
      s.recentRequests.push(r);
      if (s.recentRequests.length > RECENT_REQUESTS) s.recentRequests.splice(0, s.recentRequests.length - RECENT_REQUESTS);
      s.events.emit('request', r);
      for (const o of s.observers) o.onRequestDone?.(r);
    },
  };
}
