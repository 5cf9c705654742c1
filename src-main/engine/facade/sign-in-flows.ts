import { randomUUID } from 'node:crypto';
import { authFor, signIn, type AccountRegistry } from '../accounts';
import type { OAuthProviderId } from '../accounts/types';
import type { HostOverrides } from '../upstream/host-overrides';
import type { SignInProgress, SignInStart } from '../../../src-shared/domain';
import type { EngineEvent } from '../control/engine-facade';

/** Several instances behind a load balancer: flows announced to, and redirects relayed through, the store. */
export interface SignInRelay {
  announce(flowId: string, expiresAt: number): Promise<void>;
  forward(flowId: string, url: string): Promise<boolean>;
  onForward(deliver: (flowId: string, url: string) => boolean): void;
  setOutcome(flowId: string, outcome: { status: 'wait' | 'ok' | 'error'; error?: string }): Promise<void>;
}

/** Lines a user pastes, handed to the running flow as they arrive. */
class PasteQueue implements AsyncIterable<string> {
  private items: string[] = [];
  private wake?: () => void;
  private closed = false;

  push(line: string): void {
    this.items.push(line);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      while (this.items.length) yield this.items.shift()!;
      if (this.closed) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

interface Flow {
  provider: OAuthProviderId;
  abort: AbortController;
  pasted: PasteQueue;
}

const FLOW_TIMEOUT_MS = 10 * 60_000;

/**
 * Sign-in flows started from a UI: each gets an id; the authorize URL (or device code) comes
 * back at once, progress and the result arrive as events, a pasted redirect URL completes a
 * flow whose loopback listener the browser could not reach.
 */
export class SignInFlows {
  private readonly flows = new Map<string, Flow>();

  constructor(
    private readonly deps: {
      registry: () => AccountRegistry | undefined;
      hostOverrides: () => HostOverrides;
      emit: (e: EngineEvent) => void;
      openUrl?: (url: string) => void | Promise<void>;
      relay?: SignInRelay;
    },
  ) {
    deps.relay?.onForward((flowId, url) => {
      const f = this.flows.get(flowId);
      if (f) f.pasted.push(url);
      return f !== undefined;
    });
  }

  async start(provider: OAuthProviderId): Promise<SignInStart> {
    const registry = this.deps.registry();
    if (!registry) throw new Error('account storage is not available; see the log for why');
    const auth = authFor(provider);
    const flowId = randomUUID();
    const flow: Flow = { provider, abort: new AbortController(), pasted: new PasteQueue() };
    this.flows.set(flowId, flow);
    const progress = (stage: SignInProgress['stage'], message: string | null) =>
      this.deps.emit({ type: 'sign-in-progress', progress: { flowId, provider, stage, message } });

    let announce!: (s: SignInStart) => void;
    const announced = new Promise<SignInStart>((r) => (announce = r));
    const base = { flowId, provider, acceptsPastedRedirect: auth.flow !== 'device', expiresAt: Date.now() + FLOW_TIMEOUT_MS };
    const run = signIn(provider, {
      registry,
      hostOverrides: this.deps.hostOverrides(),
      signal: flow.abort.signal,
      timeoutMs: FLOW_TIMEOUT_MS,
      pasted: flow.pasted,
      openUrl: this.deps.openUrl,
      noBrowser: !this.deps.openUrl,
      onPrompt: (p) => {
        if (p.kind === 'browser') {
          announce({ ...base, kind: 'authorize-url', authorizeUrl: p.url, userCode: null, verificationUri: null, acceptsPastedRedirect: true });
          progress('waiting-for-browser', null);
        } else {
          announce({ ...base, kind: 'device-code', authorizeUrl: null, userCode: p.userCode, verificationUri: p.verificationUriComplete ?? p.verificationUri });
          progress('waiting-for-device', null);
        }
      },
      say: (line) => progress(auth.flow === 'device' ? 'waiting-for-device' : 'waiting-for-browser', line),
    });
    const relay = this.deps.relay;
    const report = (outcome: { status: 'ok' | 'error'; error?: string }) => void relay?.setOutcome(flowId, outcome).catch(() => undefined);
    run.then(
      ({ account }) => {
        this.flows.delete(flowId);
        report({ status: 'ok' });
        this.deps.emit({ type: 'sign-in-result', outcome: { flowId, provider, ok: true, accountId: account.id, error: null } });
        this.deps.emit({ type: 'accounts' });
      },
      (err: Error) => {
        this.flows.delete(flowId);
        report({ status: 'error', error: err.message });
        const code = flow.abort.signal.aborted ? 'cancelled' : ((err as { code?: string }).code ?? 'sign_in_failed');
        this.deps.emit({ type: 'sign-in-result', outcome: { flowId, provider, ok: false, accountId: null, error: { code, message: describeFailure(err) } } });
      },
    );
    // A flow that fails before it has a URL (port busy, discovery down) fails the start itself.
    const started = await Promise.race([
      announced,
      run.then(
        () => announced,
        (err: Error) => {
          throw Object.assign(new Error(describeFailure(err)), { code: (err as { code?: string }).code });
        },
      ),
    ]);
    await relay?.announce(flowId, base.expiresAt);
    return started;
  }

  async pasteRedirect(flowId: string, url: string): Promise<boolean> {
    const f = this.flows.get(flowId);
    if (f) {
      f.pasted.push(url);
      return true;
    }
    // Started on another instance behind the same load balancer?
    return this.deps.relay ? this.deps.relay.forward(flowId, url) : false;
  }

  async cancel(flowId: string): Promise<boolean> {
    const f = this.flows.get(flowId);
    if (!f) return false;
    f.abort.abort();
    f.pasted.close();
    this.flows.delete(flowId);
    return true;
  }

  cancelAll(): void {
    for (const id of [...this.flows.keys()]) void this.cancel(id);
  }
}

/**
 * "fetch failed" says nothing; its cause says which host and why (ENOTFOUND auth.example.com,
 * ECONNREFUSED 127.0.0.1:1455, certificate errors). Sign-in errors carry both to the dialog.
 */
export function describeFailure(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (!cause || typeof cause !== 'object') return err.message;
  const c = cause as { code?: unknown; hostname?: unknown; address?: unknown; port?: unknown; message?: unknown };
  const host = typeof c.hostname === 'string' ? c.hostname : typeof c.address === 'string' ? `${c.address}${typeof c.port === 'number' ? `:${c.port}` : ''}` : null;
  const why = typeof c.code === 'string' ? c.code : typeof c.message === 'string' ? c.message : null;
  return `${err.message}${host ? ` (${host})` : ''}${why ? `: ${why}` : ''}`;
}
