/** The only way the shell opens the system browser: validated first (https, or http loopback). */
import { shell } from 'electron';
import { isSafeExternalUrl } from './urls';

export type Opener = (url: string) => Promise<boolean>;

export function createOpener(open: (url: string) => Promise<void> = (u) => shell.openExternal(u), log: (msg: string) => void = () => {}): Opener {
  return async (url) => {
    if (!isSafeExternalUrl(url)) {
      log(`refused to open a URL that is not https or loopback http: ${url.slice(0, 200)}`);
      return false;
    }
    await open(url);
    return true;
  };
}
