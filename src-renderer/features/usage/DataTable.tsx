import { useTranslation } from 'react-i18next';
import type { ChartRow } from '../../stores/usage';

/** The chart's numbers as a table, for screen readers and for reading exact values. */
export function DataTable(props: { caption: string; rows: ChartRow[]; keys: string[]; labels: Record<string, string>; when: (t: number) => string }) {
  const { t, i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language);
  const rows = props.rows.filter((r) => props.keys.some((k) => r[k]));
  return (
    <details className="data-table">
      <summary>{t('usage.asTable')}</summary>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('usage.when')}</th>
              {props.keys.map((k) => (
                <th key={k} scope="col" className="num">
                  {props.labels[k] ?? k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.t}>
                <th scope="row" className="small nowrap">
                  {props.when(r.t)}
                </th>
                {props.keys.map((k) => (
                  <td key={k} className="num small">
                    {nf.format(r[k] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
