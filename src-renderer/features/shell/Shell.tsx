import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
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
const usageChunk = () => lazy(() => import('../usage/UsagePage').then((m) => ({ default: m.UsagePage })));

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
  const UsagePage = useMemo(usageChunk, [chunkGen]);
  const epoch = useConnection((s) => s.epoch);
  const View = props.page === 'usage' ? UsagePage : eager[props.page];
  // The server came back: a page that failed while it was away gets another chance by itself.
  const [boundaryKey, setBoundaryKey] = useState(0);
  useEffect(() => {
    if (epoch > 1) {
      setChunkGen((g) => g + 1);
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
        <ErrorBoundary resetKey={`${props.page}/${boundaryKey}`} onRetry={() => setChunkGen((g) => g + 1)}>
          <Suspense fallback={<Loading />}>
            <View />
          </Suspense>
        </ErrorBoundary>
      </main>
      <Toasts />
    </div>
  );
}
