import http from 'node:http';
import * as oauth from 'oauth4webapi';
import type { HostOverrides } from '../upstream/host-overrides';
import { applyHostOverrides } from '../upstream/host-overrides';
import { openSession, toAuthError } from './oauth-client';
import type { ProviderAuth } from './provider-auth';
import { AuthError } from './types';

export interface BrowserFlowOptions {
  hostOverrides: HostOverrides;
  /** Opens the system browser (desktop: Electron's shell.openExternal). Omitted = print only. */
  openUrl?: (url: string) => void | Promise<void>;
  noBrowser?: boolean;
  say: (line: string) => void;
  /** Lines typed by the user: a pasted final redirect URL (or Claude's `code#state`) completes the flow. */
  pasted?: AsyncIterable<string>;
  /** Structured form of the printed prompt, for UIs (the desktop shows the URL or the code). */
  onPrompt?: (p: SignInPrompt) => void;
  /** Overrides the registered loopback port (CLIProxyAPI `-oauth-callback-port`). */
  callbackPort?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export type SignInPrompt =
  | { kind: 'browser'; url: string; pasteFallback: boolean }
  | { kind: 'device'; verificationUri: string; userCode: string; verificationUriComplete?: string };

const CLOSE_PAGE = (ok: boolean, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>Switchyard</title><body style="font-family:sans-serif;margin:3em">` +
  `<h2>${ok ? 'Signed in' : 'Sign-in failed'}</h2><p>${text.replace(/[<>&]/g, '')}</p><p>You can close this tab.</p></body>`;

/**
 * Authorization-code sign-in: PKCE + state, loopback listener on 127.0.0.1 at the provider's
 * registered port for the duration of the flow only, paste fallback. Returns the token response.
 */
export async function runBrowserFlow(auth: ProviderAuth, opts: BrowserFlowOptions): Promise<oauth.TokenEndpointResponse> {
  if (!auth.redirectUri) throw new Error(`${auth.id} has no redirect URI`);
  const session = await openSession(auth, opts.hostOverrides, opts.fetch);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const redirect = new URL(auth.redirectUri);
  if (opts.callbackPort) redirect.port = String(opts.callbackPort);
  const redirectUri = redirect.toString();

  const authorize = new URL(applyHostOverrides(auth.authorizationEndpoint!, {}));
  const p = authorize.searchParams;
  p.set('client_id', auth.clientId);
  p.set('response_type', 'code');
  p.set('redirect_uri', redirectUri);
  if (auth.scopes.length) p.set('scope', auth.scopes.join(' '));
  // iFlow reads the redirect from its own `redirect` parameter as well.
  if (auth.redirectParamAlias) p.set(auth.redirectParamAlias, redirectUri);
  p.set('state', state);
  if (auth.pkce) {
    p.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    p.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(auth.extraAuthParams ?? {})) p.set(k, v);
  const url = applyHostOverrides(authorize.toString(), opts.hostOverrides);

  const callback = deferred<URLSearchParams>();
  const server = await listenLoopback(Number(redirect.port || 80), redirect.pathname, session, state, auth, callback, opts.say);
  try {
    opts.onPrompt?.({ kind: 'browser', url, pasteFallback: !server });
    if (opts.noBrowser || !opts.openUrl) opts.say(`Open this URL to sign in: ${url}`);
    else {
      opts.say(`Opening your browser to sign in. If it does not open, use: ${url}`);
      await opts.openUrl(url);
    }
    if (!server) opts.say(`Paste the final redirect URL (the address your browser ends on) here:`);
    if (opts.pasted) void readPasted(opts.pasted, auth, session, state, callback);
    const timer = setTimeout(
      () => callback.reject(new AuthError(`${auth.displayName} sign-in timed out; nothing was saved`, 'timeout')),
      opts.timeoutMs ?? 10 * 60_000,
    );
    opts.signal?.addEventListener('abort', () => callback.reject(new AuthError('sign-in cancelled', 'cancelled')), { once: true });
    let params: URLSearchParams;
    try {
      params = await callback.promise;
    } finally {
      clearTimeout(timer);
    }
    try {
      const extra = auth.tokenRequestFormat === 'json' ? { additionalParameters: { state } } : {};
      const res = await oauth.authorizationCodeGrantRequest(
        session.as,
        session.client,
        session.clientAuth,
        params,
        redirectUri,
        auth.pkce ? verifier : oauth.nopkce,
        { ...session.options, ...extra },
      );
      return await oauth.processAuthorizationCodeResponse(session.as, session.client, res);
    } catch (err) {
      throw toAuthError(auth, err, 'token exchange');
    }
  } finally {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server?.closeAllConnections();
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
  settled: boolean;
}

function deferred<T>(): Deferred<T> {
  const d = { settled: false } as Deferred<T>;
  d.promise = new Promise<T>((res, rej) => {
    d.resolve = (v) => {
      if (!d.settled) { d.settled = true; res(v); }
    };
    d.reject = (e) => {
      if (!d.settled) { d.settled = true; rej(e); }
    };
  });
  d.promise.catch(() => undefined);
  return d;
}

/** Validate a redirect's query (state, error=…) with oauth4webapi; errors name the provider. */
function checkRedirect(params: URLSearchParams, session: Awaited<ReturnType<typeof openSession>>, state: string, auth: ProviderAuth): URLSearchParams {
  try {
    return oauth.validateAuthResponse(session.as, session.client, params, state);
  } catch (err) {
    throw toAuthError(auth, err, 'sign-in');
  }
}

async function listenLoopback(
  port: number,
  pathname: string,
  session: Awaited<ReturnType<typeof openSession>>,
  state: string,
  auth: ProviderAuth,
  callback: Deferred<URLSearchParams>,
  say: (line: string) => void,
): Promise<http.Server | undefined> {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (u.pathname !== pathname) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const params = checkRedirect(u.searchParams, session, state, auth);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CLOSE_PAGE(true, 'Switchyard received the sign-in.'));
      callback.resolve(params);
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(CLOSE_PAGE(false, (err as Error).message));
      callback.reject(err);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        say(
          `Port ${port} on 127.0.0.1 is busy (another app may be using it), so the browser cannot hand the sign-in back automatically. ` +
            `Sign in anyway, then paste the address your browser ends on (it starts with http://localhost:${port}).`,
        );
        resolve(undefined);
      } else reject(err);
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function readPasted(
  lines: AsyncIterable<string>,
  auth: ProviderAuth,
  session: Awaited<ReturnType<typeof openSession>>,
  state: string,
  callback: Deferred<URLSearchParams>,
): Promise<void> {
  try {
    for await (const raw of lines) {
      if (callback.settled) return;
      const line = raw.trim();
      if (!line) continue;
      let params: URLSearchParams;
      if (/^https?:\/\//i.test(line)) params = new URL(line).searchParams;
      else if (line.includes('#')) {
        // Claude's manual page shows `code#state`.
        const [code, st] = line.split('#');
        params = new URLSearchParams({ code, state: st });
      } else params = new URLSearchParams(line.replace(/^\?/, ''));
      try {
        callback.resolve(checkRedirect(params, session, state, auth));
      } catch (err) {
        callback.reject(err);
      }
      return;
    }
  } catch (err) {
    callback.reject(err);
  }
}
