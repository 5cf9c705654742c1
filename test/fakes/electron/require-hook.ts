/**
 * Packages that `require('electron')` themselves (electron-updater) bypass the vitest alias:
 * Node's CommonJS loader would find node_modules/electron, whose index only prints the binary
 * path. Hooking `Module._load` hands them the same fake instance the shell sees.
 */
import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Load };
let installed: { fake: unknown } | undefined;

export function installElectronRequireHook(fakeElectron: unknown): void {
  if (installed) {
    installed.fake = fakeElectron;
    return;
  }
  const state = { fake: fakeElectron };
  installed = state;
  const original = mod._load;
  mod._load = function load(this: unknown, request: string, parent: unknown, isMain: boolean) {
    if (request === 'electron') return state.fake;
    return original.call(this, request, parent, isMain);
  } as Load;
}
