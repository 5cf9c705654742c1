import type pg from 'pg';
import { z } from 'zod';
import type { Listener } from './listener';

export const SIGN_IN_CHANNEL = 'switchyard_sign_in';

const forwardSchema = z.object({ flowId: z.string().min(1).max(100), url: z.string().min(1).max(8192) });
const outcomeSchema = z.object({ status: z.enum(['wait', 'ok', 'error']), error: z.string().optional() });
export type SignInOutcome = z.infer<typeof outcomeSchema>;

/**
 * Sign-in behind a load balancer: the flow (PKCE verifier, state, the waiting token exchange)
 * lives in the instance that started it, and the store knows which flows are open. A pasted
 * redirect URL that reaches another instance is relayed to the owner through NOTIFY; the outcome
 * is written back so `get-auth-status` answers the same on every instance.
 */
export class PgSignInRelay {
  private readonly local = new Set<(flowId: string, url: string) => boolean>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<unknown>,
    listener: Listener,
    private readonly now: () => number = Date.now,
  ) {
    listener.on(SIGN_IN_CHANNEL, (payload) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        return;
      }
      const m = forwardSchema.safeParse(parsed);
      if (m.success) for (const deliver of this.local) if (deliver(m.data.flowId, m.data.url)) break;
    });
  }

  /** The owner's hook: called with relayed redirects; returns true when the flow is its own. */
  onForward(deliver: (flowId: string, url: string) => boolean): void {
    this.local.add(deliver);
  }

  async announce(flowId: string, expiresAt: number): Promise<void> {
    await this.ready;
    await this.pool.query(
      `INSERT INTO oauth_states (state, payload, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (state) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at`,
      [flowId, JSON.stringify({ status: 'wait' }), expiresAt],
    );
    await this.pool.query('DELETE FROM oauth_states WHERE expires_at < $1', [this.now()]);
  }

  /** Relay a pasted redirect to whichever instance runs the flow. False = no such open flow. */
  async forward(flowId: string, url: string): Promise<boolean> {
    await this.ready;
    const r = await this.pool.query('SELECT 1 FROM oauth_states WHERE state = $1 AND expires_at >= $2', [flowId, this.now()]);
    if (r.rowCount === 0) return false;
    // NOTIFY payloads are capped at 8000 bytes; redirect URLs are far shorter, and forwardSchema bounds them.
    await this.pool.query('SELECT pg_notify($1, $2)', [SIGN_IN_CHANNEL, JSON.stringify({ flowId, url })]);
    return true;
  }

  async setOutcome(flowId: string, outcome: SignInOutcome): Promise<void> {
    await this.ready;
    await this.pool.query('UPDATE oauth_states SET payload = $2 WHERE state = $1', [flowId, JSON.stringify(outcome)]);
  }

  async outcome(flowId: string): Promise<SignInOutcome | undefined> {
    await this.ready;
    const r = await this.pool.query<{ payload: string }>('SELECT payload FROM oauth_states WHERE state = $1', [flowId]);
    if (!r.rows[0]) return undefined;
    const p = outcomeSchema.safeParse(JSON.parse(r.rows[0].payload));
    return p.success ? p.data : undefined;
  }
}
