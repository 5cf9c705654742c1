import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PayloadRule } from '../../../src-shared/domain';
import { useMappings } from '../../stores/mappings';
import { useUi } from '../../stores/ui';
import { errorText } from '../../stores/connection';
import { Card, Empty, Field, Modal } from '../../components/ui';

type Mode = PayloadRule['mode'];

export function PayloadRules() {
  const { t } = useTranslation();
  const { mappings, deleteRule } = useMappings();
  const toast = useUi((s) => s.toast);
  const [editing, setEditing] = useState<PayloadRule | 'new' | null>(null);
  return (
    <Card
      id="rules"
      title={t('mappings.rules')}
      actions={
        <button type="button" className="btn btn-small" onClick={() => setEditing('new')}>
          {t('mappings.addRule')}
        </button>
      }
    >
      {mappings.payloadRules.length === 0 ? (
        <Empty>{t('mappings.rulesEmpty')}</Empty>
      ) : (
        <ul className="plain-list">
          {mappings.payloadRules.map((r) => (
            <li key={r.id} className="row gap">
              <span className="provider-tag">{r.mode}</span>
              <span className="mono small">{r.models.map((m) => m.name).join(', ')}</span>
              <span className="mono small muted ellipsis">{r.mode === 'filter' ? r.paths.join(', ') : JSON.stringify(r.params)}</span>
              <span className="push row gap">
                <button type="button" className="btn btn-small" onClick={() => setEditing(r)}>
                  {t('app.edit')}
                </button>
                <button type="button" className="btn btn-small btn-ghost-danger" onClick={() => deleteRule(r.id).catch((e) => toast('error', errorText(e)))}>
                  {t('app.delete')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {editing && <RuleDialog rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function RuleDialog(props: { rule: PayloadRule | null; onClose(): void }) {
  const { t } = useTranslation();
  const saveRule = useMappings((s) => s.saveRule);
  const r = props.rule;
  const [mode, setMode] = useState<Mode>(r?.mode ?? 'default');
  const [models, setModels] = useState(r?.models.map((m) => m.name).join(', ') ?? '');
  const [params, setParams] = useState(r && r.mode !== 'filter' ? JSON.stringify(r.params, null, 2) : '{\n  \n}');
  const [paths, setPaths] = useState(r?.paths.join(', ') ?? '');
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
    let parsed: Record<string, unknown> = {};
    if (mode !== 'filter') {
      try {
        const v: unknown = JSON.parse(params);
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
        parsed = v as Record<string, unknown>;
      } catch {
        setErr(t('mappings.badJson'));
        return;
      }
    }
    try {
      await saveRule({ mode, models: list(models).map((name) => ({ name })), params: parsed, paths: mode === 'filter' ? list(paths) : [] }, r?.id);
      props.onClose();
    } catch (x) {
      setErr(errorText(x));
    }
  };
  return (
    <Modal open onOpenChange={(o) => !o && props.onClose()} title={t('mappings.ruleTitle')} wide>
      <form className="form" onSubmit={submit}>
        <Field label={t('mappings.mode')}>
          <select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            {(['default', 'override', 'filter'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`mappings.modes.${m}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('mappings.ruleModels')}>
          <input value={models} onChange={(e) => setModels(e.target.value)} required placeholder="gpt-*, claude-sonnet-*" />
        </Field>
        {mode === 'filter' ? (
          <Field label={t('mappings.rulePaths')}>
            <input value={paths} onChange={(e) => setPaths(e.target.value)} required placeholder="temperature, top_p" />
          </Field>
        ) : (
          <Field label={t('mappings.ruleParams')}>
            <textarea rows={5} className="mono" value={params} onChange={(e) => setParams(e.target.value)} />
          </Field>
        )}
        {err && <p className="form-error" role="alert">{err}</p>}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('app.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
