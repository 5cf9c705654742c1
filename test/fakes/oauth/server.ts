import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextLike } from 'oidc-provider';

/**
 * A real OAuth 2.0 / OIDC authorization server (oidc-provider) on 127.0.0.1, standing in for a
 * provider's sign-in servers through host-overrides. Its issuer is the provider's real issuer, so
 * id_token `iss` checks stay meaningful. Extra routes (user info, Code Assist, API endpoints)
 * share the same port.
 */

export interface FakeUser {
  email?: string;
  claims?: Record<string, unknown>;
}

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, url: URL) => void | Promise<void>;

export interface FakeOAuthOptions {
  issuer: string;
  routes: Record<string, string>;
  clients: Array<Record<string, unknown>>;
  scopes: string[];
  users?: Record<string, FakeUser>;
  /** Fields added to successful token responses (Claude's `account`, Qwen's `resource_url`). */
  tokenExtras?: Record<string, unknown>;
  accessTokenTtl?: number;
  deviceCodeTtl?: number;
  deviceFlow?: boolean;
  /** Scope assumed when an authorize request names none (iFlow sends no scope; oidc-provider needs one). */
  defaultScope?: string;
  /** Extra routes: key `METHOD /path`. */
  extraRoutes?: Record<string, RouteHandler>;
}

export interface FakeOAuth {
  url: string;
  issuer: string;
  /** Which user the "browser" signs in as next, and whether it refuses consent. */
  control: { user: string; deny: boolean };
  counters: { token: number; refresh: number; jsonTokenBodies: number };
  verifyAccessToken(token: string | undefined): Promise<{ accountId: string; clientId: string } | undefined>;
  revokeRefreshToken(token: string): Promise<void>;
  /** Hold token responses until the returned function is called (kill-mid-refresh tests). */
  holdTokens(): () => void;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startFakeOAuth(o: FakeOAuthOptions): Promise<FakeOAuth> {
  const users = o.users ?? { alice: { email: 'alice@example.com' } };
  const control = { user: Object.keys(users)[0], deny: false };
  const counters = { token: 0, refresh: 0, jsonTokenBodies: 0 };
  let hold: Promise<void> | undefined;

  const provider = new Provider(o.issuer, {
    clients: o.clients,
    scopes: o.scopes,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'https://api.openai.com/auth'] },
    conformIdTokenClaims: false,
    routes: o.routes,
    features: {
      devInteractions: { enabled: false },
      deviceFlow: { enabled: o.deviceFlow ?? false, charset: 'base-20', mask: '****-****' },
      revocation: { enabled: true },
    },
    ttl: {
      AccessToken: o.accessTokenTtl ?? 3600,
      DeviceCode: o.deviceCodeTtl ?? 600,
      RefreshToken: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      Session: 3600,
      Interaction: 600,
    },
    // Refresh tokens for every client allowed to refresh, whatever the scope (Google and Claude
    // issue them without `offline_access`).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: users[id]?.email, email_verified: true, ...(users[id]?.claims ?? {}) }),
    }),
    pkce: { required: () => false },
    cookies: { keys: ['fake-oauth-cookie-key'] },
  });
  provider.on('server_error', (_ctx, err) => process.stderr.write(`fake oauth server_error: ${String(err)}\n`));

  const tokenPath = o.routes.token;
  provider.use(async (ctx: KoaContextLike, next) => {
    if (o.defaultScope && ctx.path === o.routes.authorization && ctx.method === 'GET') {
      const q = new URLSearchParams(ctx.querystring);
      if (!q.get('scope')) {
        q.set('scope', o.defaultScope);
        ctx.querystring = q.toString();
      }
    }
    if (o.defaultScope && ctx.path === o.routes.device_authorization && ctx.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(await readBody(ctx.req)));
      ctx.req.body = { scope: o.defaultScope, ...form };
    }
    if (ctx.path === tokenPath && ctx.method === 'POST') {
      counters.token++;
      if (hold) {
        await hold;
        // The client went away while we held its request: like a real server that never got to
        // it, do not process (and so do not rotate) anything.
        if (ctx.req.socket.destroyed) {
          ctx.status = 499;
          return;
        }
      }
      if (ctx.is('application/json')) {
        // Claude's token endpoint takes JSON; oidc-provider reads a pre-parsed body as a form.
        counters.jsonTokenBodies++;
        const parsed = JSON.parse(await readBody(ctx.req)) as Record<string, string>;
        ctx.req.headers['content-type'] = 'application/x-www-form-urlencoded';
        ctx.req.body = parsed;
      }
    }
    await next();
    if (ctx.path === tokenPath && ctx.status === 200 && ctx.body && typeof ctx.body === 'object' && o.tokenExtras) {
      Object.assign(ctx.body as Record<string, unknown>, o.tokenExtras);
    }
  });
  provider.on('grant.success', (ctx) => {
    const c = ctx as { oidc?: { params?: { grant_type?: string } } };
    if (c.oidc?.params?.grant_type === 'refresh_token') counters.refresh++;
  });

  const handler = provider.callback();
  const routes: Record<string, RouteHandler> = {
    'GET /interaction': async (req, res) => {
      const details = await provider.interactionDetails(req, res);
      if (control.deny) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user declined to authorize the app' }, { mergeWithLastSubmission: false });
        return;
      }
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: control.user } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session?.accountId ?? control.user, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope ?? o.scopes.join(' ')));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    },
    ...(o.extraRoutes ?? {}),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = `${req.method} ${url.pathname.startsWith('/interaction/') ? '/interaction' : url.pathname}`;
    const route = routes[key];
    if (!route) return handler(req, res);
    readBody(req)
      .then((body) => route(req, res, body, url))
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err) });
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    issuer: o.issuer,
    control,
    counters,
    async verifyAccessToken(token) {
      if (!token) return undefined;
      const t = await provider.AccessToken.find(token.replace(/^Bearer\s+/i, ''));
      return t?.accountId ? { accountId: t.accountId, clientId: String(t.clientId) } : undefined;
    },
    async revokeRefreshToken(token) {
      const t = await provider.RefreshToken.find(token);
      await t?.destroy();
    },
    holdTokens() {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
