import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for GitHub's device flow, the Copilot token exchange and Copilot's user
 * endpoint, with GitHub's real shapes and its inconvenient semantics: `/login/oauth/access_token`
 * answers "pending" / "slow down" with **HTTP 200** and an `error` field, answers form text
 * unless the client asks for JSON, and `copilot_internal/v2/token` wants `Authorization: token …`.
 * The device page is a plain HTML form, so the TestBrowser can approve it like the other fakes.
 */

export const EDITOR_CLIENT_ID = 'Iv1.b507a08c87ecfe98';

interface Device {
  userCode: string;
  approved: boolean;
  polls: number;
}

export interface GitHubFakeControl {
  /** Seconds; the fake's clock for `expires_at` (tests move it). */
  nowS: number;
  /** The Copilot token lifetime and the renewal hint. */
  tokenLifetimeS: number;
  refreshInS: number;
  /** Answer the next poll with `slow_down`. */
  slowDownOnce: boolean;
  /** The signed-in user has no Copilot seat (exchange → 404). */
  noSeat: boolean;
  deny: boolean;
  /** The user revoked the app: every GitHub token is refused (401 Bad credentials). */
  revoked: boolean;
  /** `quota_reset_date` of `copilot_internal/user` (GitHub sends a plain date, `YYYY-MM-DD`). */
  quotaResetDate: string;
}

export interface GitHubFake {
  url: string;
  control: GitHubFakeControl;
  /** Copilot tokens issued, in order. */
  issued: string[];
  /** Authorization headers the exchange endpoint saw. */
  exchangeAuth: string[];
  headersSeen: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
  });
}

/** GitHub answers its OAuth endpoints as form text unless the client sends `Accept: application/json`. */
function oauthReply(req: IncomingMessage, res: ServerResponse, body: Record<string, string | number>): void {
  if ((req.headers.accept ?? '').includes('application/json')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  res.end(new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString());
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(text);
}

export async function startGitHubFake(): Promise<GitHubFake> {
  const devices = new Map<string, Device>();
  const githubTokens = new Map<string, string>(); // gho_ → login
  const copilotTokens = new Set<string>();
  const control: GitHubFakeControl = { nowS: Math.floor(Date.now() / 1000), tokenLifetimeS: 1800, refreshInS: 1500, slowDownOnce: false, noSeat: false, deny: false, revoked: false, quotaResetDate: '2026-01-01' };
  const issued: string[] = [];
  const exchangeAuth: string[] = [];
  const headersSeen: GitHubFake['headersSeen'] = [];
  let serial = 0;
  let url = '';

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      headersSeen.push({ path, headers: req.headers });
      const raw = await readBody(req);
      const form = new URLSearchParams(raw);
      if (req.method === 'POST' && path === '/login/device/code') {
        if (form.get('client_id') !== EDITOR_CLIENT_ID) return json(res, 404, { error: 'Not Found' });
        const deviceCode = `dc_${++serial}`;
        const userCode = `ABCD-${1000 + serial}`;
        devices.set(deviceCode, { userCode, approved: false, polls: 0 });
        return oauthReply(req, res, { device_code: deviceCode, user_code: userCode, verification_uri: `${url}/login/device`, expires_in: 899, interval: 5 });
      }
      if (req.method === 'GET' && path === '/login/device') {
        return html(res, `<form action="/login/device" method="post"><input type="hidden" name="authenticity_token" value="t0k"><input type="text" name="user_code"></form>`);
      }
      if (req.method === 'POST' && path === '/login/device') {
        const code = form.get('user_code') ?? '';
        return html(res, `<p>Authorize GitHub Copilot Plugin</p><form action="/login/device/authorize" method="post"><input type="hidden" name="user_code" value="${code}"></form>`);
      }
      if (req.method === 'POST' && path === '/login/device/authorize') {
        const code = form.get('user_code');
        for (const d of devices.values()) if (d.userCode === code) d.approved = true;
        return html(res, '<p>Congratulations, you\'re all set!</p>');
      }
      if (req.method === 'POST' && path === '/login/oauth/access_token') {
        const d = devices.get(form.get('device_code') ?? '');
        if (form.get('client_id') !== EDITOR_CLIENT_ID || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code') {
          return oauthReply(req, res, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
        }
        if (!d) return oauthReply(req, res, { error: 'bad_verification_code', error_description: 'The device_code passed is incorrect or expired.' });
        d.polls++;
        if (control.slowDownOnce) {
          control.slowDownOnce = false;
          return oauthReply(req, res, { error: 'slow_down', error_description: 'Too many requests have been made in the same timeframe.', interval: 10 });
        }
        if (control.deny) return oauthReply(req, res, { error: 'access_denied', error_description: 'The authorization request was denied.' });
        if (!d.approved) return oauthReply(req, res, { error: 'authorization_pending', error_description: 'The authorization request is still pending.', error_uri: 'https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow' });
        devices.delete(form.get('device_code') ?? '');
        const token = `gho_${String(++serial).padStart(36, '0')}`;
        githubTokens.set(token, 'octocat');
        return oauthReply(req, res, { access_token: token, token_type: 'bearer', scope: 'read:user' });
      }
      const auth = req.headers.authorization ?? '';
      const gh = /^(?:token|bearer) (gho_\w+)$/i.exec(auth)?.[1];
      if (req.method === 'GET' && path === '/user') {
        if (!gh || !githubTokens.has(gh)) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        return json(res, 200, { login: githubTokens.get(gh), id: 583231, type: 'User' });
      }
      if (req.method === 'GET' && path === '/copilot_internal/v2/token') {
        exchangeAuth.push(auth);
        if (!gh || !githubTokens.has(gh) || control.revoked) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        if (control.noSeat) return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
        const exp = control.nowS + control.tokenLifetimeS;
        const token = `tid=${++serial};exp=${exp};sku=copilot_individual;proxy-ep=proxy.individual.githubcopilot.com;8kp=1:sig${serial}`;
        copilotTokens.add(token);
        issued.push(token);
        return json(res, 200, {
          token,
          expires_at: exp,
          refresh_in: control.refreshInS,
          endpoints: { api: 'https://api.githubcopilot.com', proxy: 'https://proxy.individual.githubcopilot.com', telemetry: 'https://telemetry.individual.githubcopilot.com' },
          sku: 'copilot_individual',
          chat_enabled: true,
        });
      }
      if (req.method === 'GET' && path === '/copilot_internal/user') {
        if (!gh || !githubTokens.has(gh)) return json(res, 401, { message: 'Bad credentials' });
        return json(res, 200, {
          login: 'octocat',
          copilot_plan: 'individual',
          quota_reset_date: control.quotaResetDate,
          quota_snapshots: {
            chat: { entitlement: 0, remaining: 0, percent_remaining: 100, unlimited: true, quota_id: 'chat' },
            completions: { entitlement: 0, remaining: 0, percent_remaining: 100, unlimited: true, quota_id: 'completions' },
            premium_interactions: { entitlement: 300, remaining: 225, percent_remaining: 75, unlimited: false, overage_permitted: false, quota_id: 'premium_interactions' },
          },
        });
      }
      json(res, 404, { message: 'Not Found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    control,
    issued,
    exchangeAuth,
    headersSeen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
