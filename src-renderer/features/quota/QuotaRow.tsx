import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuotaThresholds, QuotaWindowDto } from '../../../src-shared/domain';
import { Meter } from '../../components/ui';
import { span, until } from '../../components/format';
import { balanceText, isBalance, percentLeft, windowLabel } from './pool';

/** Re-render every few seconds so countdowns and "12 s ago" stay true without new data. */
export function useNow(ms = 5000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** One window: "% left" in text, bar and aria alike. Balances get a plain line instead. */
export function QuotaRow(props: { window: QuotaWindowDto; thresholds: QuotaThresholds; title?: string }) {
  const { t } = useTranslation();
  const now = useNow();
  const w = props.window;
  const title = props.title ?? windowLabel(t, w);
  if (isBalance(w)) {
    return (
      <li className="quota-row quota-balance" data-testid="quota-balance">
        <div className="quota-head">
          <span className="quota-name">{title}</span>
          <span className="quota-note">{balanceText(t, w)}</span>
        </div>
      </li>
    );
  }
  const left = Math.round(percentLeft(w));
  const count = w.source === 'local' && w.count ? ` · ${t('quota.requests', { count: w.count.requests })}` : '';
  const text = t('quota.left', { left });
  return (
    <li className="quota-row">
      <div className="quota-head">
        <span className="quota-name">{title}</span>
        <span className="quota-pct" data-testid="quota-left">
          {text}
        </span>
      </div>
      <Meter left={left} warn={props.thresholds.warnPercentLeft} critical={props.thresholds.criticalPercentLeft} label={title} valueText={text} />
      <div className="quota-meta muted small">
        <span>{w.resetAt ? t('quota.resetsIn', { time: until(t, w.resetAt, now) }) : t('quota.resetUnknown')}</span>
        <span>
          {t(`quota.sources.${w.source}`, { age: span(t, now - w.observedAt) })}
          {count}
        </span>
      </div>
    </li>
  );
}
