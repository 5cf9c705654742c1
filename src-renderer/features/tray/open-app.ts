/**
 * "Open app" from the tray window: the desktop shell may expose `openMainWindow` on the preload
 * bridge; a browser opens the full panel in a tab instead.
 */
export function openMainApp(): void {
  const api = window.switchyard;
  if (api?.openMainWindow) {
    void api.openMainWindow();
    return;
  }
  window.open(`${location.pathname}#/dashboard`, '_blank', 'noopener');
}
