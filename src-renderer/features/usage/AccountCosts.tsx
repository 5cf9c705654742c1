import { useTranslation } from 'react-i18next';
import type { AccountCost } from './cost-rows';
import './costs.css';

/**
 * Per-account estimates under the per-model price table: API keys first (what they cost), then
 * subscriptions (what the same traffic would have cost on an API key), each with its subtotal.
 */
export function AccountCosts(props: { rows: AccountCost[]; money: Intl.NumberFormat; nf: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const { rows, money, nf } = props;
  if (rows.length === 0) return null;
  const sum = (kind: AccountCost['kind']) => rows.filter((r) => r.kind === kind).reduce((s, r) => s + r.cost, 0);
  return (
    <div className="table-wrap">
      <table className="table table-compact cost-table" data-testid="account-cost-table">
        <caption className="muted small cost-caption">{t('usage.byAccount')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('usage.groups.account')}</th>
            <th scope="col">{t('usage.costKind')}</th>
            <th scope="col" className="num col-opt">
              {t('usage.inputTokens')}
            </th>
            <th scope="col" className="num col-opt">
              {t('usage.outputTokens')}
            </th>
            <th scope="col" className="num">
              {t('usage.cost')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.accountId} data-testid={`account-cost-${r.accountId}`}>
              <th scope="row" className="small">
                {r.label}
              </th>
              <td className="small">{r.kind === 'api-key' ? t('usage.kindKey') : t('usage.kindSubscription')}</td>
              <td className="num small col-opt">{nf.format(r.input)}</td>
              <td className="num small col-opt">{nf.format(r.output)}</td>
              <td className="num small" data-testid="account-cost">
                {r.priced === 0 ? (
                  <span className="muted">{t('usage.noPrice')}</span>
                ) : (
                  <>
                    {r.kind === 'subscription' ? t('usage.wouldHave', { cost: money.format(r.cost) }) : money.format(r.cost)}
                    {r.unpriced.length > 0 && <span className="muted"> {t('usage.unpriced', { n: r.unpriced.length })}</span>}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('usage.keyTotal')}
            </th>
            <td className="col-opt" />
            <td className="col-opt" />
            <td className="num" data-testid="cost-keys-total">
              <strong>{money.format(sum('api-key'))}</strong>
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              {t('usage.subscriptionTotal')}
            </th>
            <td className="col-opt" />
            <td className="col-opt" />
            <td className="num" data-testid="cost-subscriptions-total">
              <strong>{money.format(sum('subscription'))}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
