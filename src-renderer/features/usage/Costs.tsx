import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostBasisRow } from '../../../src-shared/domain';
import { Card } from '../../components/ui';
import { client } from '../../stores/connection';
import { useUsage } from '../../stores/usage';
import { useAccounts } from '../../stores/accounts';
import { loadPrices, savePrices, cost, type Price } from './prices';
import { byAccount, byModel } from './cost-rows';
import { AccountCosts } from './AccountCosts';

/**
 * What the range's traffic costs (API keys) or would have cost (subscriptions) at the user's own
 * prices per million tokens: per model, where the prices are typed in place (kept in this
 * browser), and per account, from the same usage records and the same prices.
 */
export function Costs() {
  const { t, i18n } = useTranslation();
  const span = useUsage((s) => s.span);
  const points = useUsage((s) => s.points);
  const providers = useAccounts((s) => s.providers);
  const [basis, setBasis] = useState<CostBasisRow[]>([]);
  const rows = byModel(basis);
  const [prices, setPrices] = useState<Record<string, Price>>(loadPrices);
  useEffect(() => {
    if (!span) return;
    let live = true;
    void client()
      .call('app:usage:cost-basis', { from: span.from, to: span.to })
      .then(({ rows: r }) => {
        if (live) setBasis(r);
      })
      .catch((e: unknown) => console.warn('cost estimate: usage by account failed', e));
    return () => {
      live = false;
    };
  }, [span?.from, span?.to, points]);
  const setPrice = (model: string, side: keyof Price, value: string) => {
    const n = Number(value);
    const cur = prices[model] ?? { input: 0, output: 0 };
    const next = { ...prices, [model]: { ...cur, [side]: Number.isFinite(n) && n >= 0 ? n : 0 } };
    setPrices(next);
    savePrices(next);
  };
  const money = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const nf = new Intl.NumberFormat(i18n.language);
  const total = rows.reduce((s, r) => s + (cost(r, prices[r.model]) ?? 0), 0);
  if (rows.length === 0) return null;
  return (
    <Card id="costs" title={t('usage.costs')}>
      <p className="muted small">{t('usage.costsIntro')}</p>
      <div className="table-wrap">
        <table className="table table-compact cost-table" data-testid="cost-table">
          <thead>
            <tr>
              <th scope="col">{t('usage.groups.model')}</th>
              <th scope="col" className="num col-opt">
                {t('usage.inputTokens')}
              </th>
              <th scope="col" className="num col-opt">
                {t('usage.outputTokens')}
              </th>
              <th scope="col">{t('usage.priceIn')}</th>
              <th scope="col">{t('usage.priceOut')}</th>
              <th scope="col" className="num">
                {t('usage.cost')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const c = cost(r, prices[r.model]);
              return (
                <tr key={r.model}>
                  <th scope="row" className="mono small">
                    {r.model || t('usage.none')}
                  </th>
                  <td className="num small col-opt">{nf.format(r.input)}</td>
                  <td className="num small col-opt">{nf.format(r.output)}</td>
                  <td>
                    <input className="input-narrow" type="number" min={0} step="0.01" value={prices[r.model]?.input ?? ''} placeholder="0" onChange={(e) => setPrice(r.model, 'input', e.target.value)} aria-label={t('usage.priceInFor', { model: r.model })} />
                  </td>
                  <td>
                    <input className="input-narrow" type="number" min={0} step="0.01" value={prices[r.model]?.output ?? ''} placeholder="0" onChange={(e) => setPrice(r.model, 'output', e.target.value)} aria-label={t('usage.priceOutFor', { model: r.model })} />
                  </td>
                  <td className="num small">{c === null ? t('usage.noPrice') : money.format(c)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('usage.total')}</th>
              <td className="col-opt" />
              <td className="col-opt" />
              <td />
              <td />
              <td className="num" data-testid="cost-total">
                <strong>{money.format(total)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <AccountCosts rows={byAccount(basis, prices, providers)} money={money} nf={nf} />
    </Card>
  );
}
