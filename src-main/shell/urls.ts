/**
 * URL checks, always on parsed URLs (never `startsWith`): which origins are the app's own, and
 * which URLs may leave for the system browser.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchyard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * May this URL be handed to `shell.openExternal`? Only https anywhere, or http on a loopback
 * host (the engine's own sign-in listener). No credentials in the URL, no other schemes:
 * `file:`, `javascript:`, custom handlers and `smb:` can all run things on the user's machine.
 */
export function isSafeExternalUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.username || u.password) return false;
  if (u.protocol === 'https:') return u.hostname.length > 0;
  if (u.protocol === 'http:') return isLoopbackHostname(u.hostname);
  return false;
}

export interface AppOrigins {
  /** Dev-server origin (`http://localhost:5173`), honoured only when the app is not packaged. */
  devServerUrl?: string;
  packaged: boolean;
}

/** Is `url` a page of our own UI (the app protocol, or the dev server in development)? */
export function isAppUrl(url: string, o: AppOrigins): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
  if (!o.packaged && o.devServerUrl) {
    const dev = parse(o.devServerUrl);
    return dev !== undefined && u.origin === dev.origin;
  }
  return false;
}
