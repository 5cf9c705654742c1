/** Fake `Session`: records the handlers the shell installs so tests can call them. */
type Listener = (...args: never[]) => unknown;

export class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  headersListener: Listener | null = null;
  setPermissionRequestHandler(fn: Listener | null): void {
    this.permissionRequestHandler = fn;
  }
  setPermissionCheckHandler(fn: Listener | null): void {
    this.permissionCheckHandler = fn;
  }
  webRequest = {
    onHeadersReceived: (fn: Listener): void => {
      this.headersListener = fn;
    },
  };
  protocol = { handle: (): void => {} };
}
