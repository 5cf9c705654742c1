import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { i18n } from './i18n';
import { App } from './App';
import { bootTheme } from './theme';
import './styles.css';
import './tray-and-balances.css';
import { useUi } from './stores/ui';

bootTheme();
// Any action whose failure no component caught still tells the user, in the server's words.
window.addEventListener('unhandledrejection', (e) => {
  const r: unknown = e.reason;
  useUi.getState().toast('error', r instanceof Error ? r.message : String(r));
});
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
