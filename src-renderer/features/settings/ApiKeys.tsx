import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keyName } from '../../components/format';
import type { ApiKeyInfo } from '../../../src-shared/domain';
import { useSettings } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Card, Confirm, CopyButton, Empty } from '../../components/ui';

export function ApiKeys() {
  const { t } = useTranslation();
  const { settings, revealed, reveal, hide, generateKey, revokeKey } = useSettings();
  const toast = useUi((s) => s.toast);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const keys = settings?.apiKeys ?? [];
  const guard = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      toast('error', errorText(e));
    }
  };
  return (
    <Card
      id="api-keys"
      title={t('settings.apiKeys')}
      actions={
        <button type="button" className="btn btn-small" onClick={() => guard(generateKey().then(() => toast('success', t('settings.newKey'))))}>
          {t('settings.generate')}
        </button>
      }
    >
      {keys.length === 0 ? (
        <Empty>{t('settings.apiKeysEmpty')}</Empty>
      ) : (
        <ul className="plain-list">
          {keys.map((k) => (
            <li key={k.id} className="row gap" data-testid="api-key-row">
              <span className="small muted">{keyName(t, k.label)}</span>
              <code className="mono key-text">{revealed[k.id] ?? k.masked}</code>
              <span className="push row gap">
                {revealed[k.id] ? (
                  <button type="button" className="btn btn-small" onClick={() => hide(k.id)}>
                    {t('settings.hide')}
                  </button>
                ) : (
                  <button type="button" className="btn btn-small" onClick={() => guard(reveal(k.id))}>
                    {t('settings.reveal')}
                  </button>
                )}
                <CopyButton value={() => reveal(k.id)} label={k.label ? keyName(t, k.label) : k.masked} />
                <button type="button" className="btn btn-small btn-ghost-danger" onClick={() => setRevoking(k)}>
                  {t('settings.revoke')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <Confirm
        open={!!revoking}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={t('settings.revokeTitle')}
        body={t('settings.revokeBody')}
        confirmLabel={t('settings.revoke')}
        onConfirm={() => guard(revokeKey(revoking!.id))}
      />
    </Card>
  );
}
