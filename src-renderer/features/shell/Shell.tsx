import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pages, useUi, type Page } from '../../stores/ui';
import { useConnection } from '../../stores/connection';
import { useStatus } from '../../stores/status';
import { Dashboard } from '../dashboard/Dashboard';
import { AccountsPage } from '../accounts/AccountsPage';
import { QuotaPage } from '../quota/QuotaPage';
import { MappingsPage } from '../mappings/MappingsPage';
import { LogsPage } from '../logs/LogsPage';
import { SettingsPage } from '../settings/SettingsPage';
import { Toasts } from './Toasts';
import { stateTone } from '../dashboard/state-tone';
import { Loading } from '../../components/ui';

import { ErrorBoundary } from '../../components/ErrorBoundary';

// The chart library is most of the bundle: load it when the Usage page is first opened. A failed
// load (server unreachable) is not cached: Retry makes a fresh lazy component.
let chunkFailed = false;
const usageChunk = () =>
  lazy(() =>
    import('../usage/UsagePage').then(
      (m) => ({ default: m.UsagePage }),
      (e: unknown) => {
        chunkFailed = true;
        throw e;
      },
    ),
  );
// One lazy component for the app's lifetime (a remounted shell reuses the loaded chunk); replaced
// only after a failed load.
let UsageLazy = usageChunk();
function freshUsageChunk(): void {
  chunkFailed = false;
  UsageLazy = usageChunk();
}

const eager: Record<Exclude<Page, 'usage'>, React.ComponentType> = {
  dashboard: Dashboard,
  accounts: AccountsPage,
  quota: QuotaPage,
  mappings: MappingsPage,
  logs: LogsPage,
  settings: SettingsPage,
};

export function Shell(props: { page: Page }) {
  const { t } = useTranslation();
  const go = useUi((s) => s.go);
  const stream = useConnection((s) => s.stream);
  const status = useStatus((s) => s.status);
  const [chunkGen, setChunkGen] = useState(0);
  // chunkGen re-renders after freshUsageChunk() replaced the module-level lazy component.
  const UsagePage = useMemo(() => UsageLazy, [chunkGen]);
  const epoch = useConnection((s) => s.epoch);
  const View = props.page === 'usage' ? UsagePage : eager[props.page];
  // The server came back: a page that failed while it was away gets another chance by itself.
  const [boundaryKey, setBoundaryKey] = useState(0);
  // After a page switch, move focus to the new page's heading so keyboard and screen-reader users
  // land on what changed (not on the link they left, nor on <body>).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = setTimeout(() => {
      const h = document.querySelector<HTMLElement>('#main .page-title');
      const at = document.activeElement;
      // Only when focus is on the navigation or nowhere: never pull it away from something chosen.
      if (!h || (at && at !== document.body && !at.closest('nav'))) return;
      h.tabIndex = -1;
      h.focus({ preventScroll: false });
    }, 0);
    return () => clearTimeout(id);
  }, [props.page]);
  useEffect(() => {
    if (epoch > 1) {
      // Only a chunk that failed to load needs a fresh lazy(); a loaded one is kept as it is.
      if (chunkFailed) {
        freshUsageChunk();
        setChunkGen((g) => g + 1);
      }
      setBoundaryKey((k) => k + 1);
    }
  }, [epoch]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('nav.main')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.name')}
        </div>
        <ul>
          {pages.map((p) => (
            <li key={p}>
              <a
                href={`#/${p}`}
                className={p === props.page ? 'nav-item active' : 'nav-item'}
                aria-current={p === props.page ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(p);
                }}
              >
                {t(`nav.${p}`)}
              </a>
            </li>
          ))}
        </ul>
        {status && (
          <div className="sidebar-foot">
            <span className={`dot dot-${stateTone(status.state)}`} aria-hidden="true" />
            {t(`state.${status.state}`)}
          </div>
        )}
      </nav>
      <main className="content" id="main">
        {stream === 'closed' && (
          <div className="banner" role="status">
            {t('app.reconnecting')}
          </div>
        )}
        <ErrorBoundary
          resetKey={`${props.page}/${boundaryKey}`}
          onRetry={() => {
            if (chunkFailed) freshUsageChunk();
            setChunkGen((g) => g + 1);
          }}
        >
          <Suspense fallback={<Loading />}>
            <View />
          </Suspense>
        </ErrorBoundary>
      </main>
      <Toasts />
    </div>
  );
}
