import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { providerName } from '../../components/format';
import { reasoningLevels, type Alias, type ReasoningLevel } from '../../../src-shared/domain';
import { useAccounts } from '../../stores/accounts';
import { useMappings } from '../../stores/mappings';
import { errorText } from '../../stores/connection';
import { Card, Field } from '../../components/ui';
import { RoutePreviewView, TryIt } from './TryIt';

interface Draft {
  alias: string;
  provider: string;
  upstreamModel: string;
  reasoning: ReasoningLevel | '';
  prefix: string;
  fork: boolean;
  entryId: string;
}

const blank: Draft = { alias: '', provider: '', upstreamModel: '', reasoning: '', prefix: '', fork: false, entryId: '' };

export function draftOf(a: Alias): Draft {
  return { alias: a.alias, provider: a.provider, upstreamModel: a.upstreamModel, reasoning: a.reasoning ?? '', prefix: a.prefix ?? '', fork: a.fork, entryId: a.entryId ?? '' };
}

/** Three steps: the client-facing name, where it goes, then review with the live route and a test. */
export function AliasWizard(props: { editing: Alias | null; onDone(): void }) {
  const { t } = useTranslation();
  const providers = useAccounts((s) => s.providers);
  const keys = useAccounts((s) => s.keys);
  const { saveAlias, runPreview, preview, clearTry } = useMappings();
  const [step, setStep] = useState(1);
  const [d, setD] = useState<Draft>(props.editing ? draftOf(props.editing) : blank);
  const [err, setErr] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Previewing the upstream model lists every provider that serves it; the alias will only ever
  // reach the chosen provider's accounts, so show exactly those (after saving: the alias itself).
  const scoped = preview && !saved ? { ...preview, candidates: preview.candidates.filter((c) => c.provider === d.provider) } : preview;
  useEffect(() => {
    setD(props.editing ? draftOf(props.editing) : blank);
    setStep(1);
    setSaved(null);
    clearTry();
  }, [props.editing?.id]);
  const provider = providers.find((p) => p.id === d.provider);
  const entries = provider?.keySection ? keys.filter((k) => k.section === provider.keySection) : [];
  const set = (p: Partial<Draft>) => setD({ ...d, ...p });
  const validName = /^[^\s]+$/.test(d.alias);

  const next = (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    if (step === 2) void runPreview(d.upstreamModel);
    setStep(step + 1);
  };
  const save = async () => {
    setErr(null);
    try {
      await saveAlias(
        { alias: d.alias, provider: d.provider, upstreamModel: d.upstreamModel, reasoning: d.reasoning || null, prefix: d.prefix || null, fork: d.fork, entryId: d.entryId || null },
        props.editing?.id,
      );
      setSaved(d.alias);
      void runPreview(d.alias);
    } catch (x) {
      setErr(errorText(x));
    }
  };
  const reset = () => {
    setD(blank);
    setStep(1);
    setSaved(null);
    clearTry();
    props.onDone();
  };

  return (
    <Card id="wizard" title={props.editing ? `${t('app.edit')}: ${props.editing.alias}` : t('mappings.wizard')} actions={<span className="muted small">{t('mappings.step', { n: step })}</span>}>
      <ol className="steps" aria-label={t('mappings.wizard')}>
        {(['stepName', 'stepTarget', 'stepReview'] as const).map((s, i) => (
          <li key={s} className={step === i + 1 ? 'step active' : step > i + 1 ? 'step done' : 'step'} aria-current={step === i + 1 ? 'step' : undefined}>
            {t(`mappings.${s}`)}
          </li>
        ))}
      </ol>
      {step === 1 && (
        <form className="form" onSubmit={next}>
          <Field label={t('mappings.aliasName')} hint={t('mappings.aliasHint')}>
            <input value={d.alias} onChange={(e) => set({ alias: e.target.value.trim() })} required autoFocus name="alias" aria-invalid={!!d.alias && !validName} />
          </Field>
          <div className="dialog-buttons">
            <button type="submit" className="btn btn-primary" disabled={!validName}>
              {t('app.next')}
            </button>
          </div>
        </form>
      )}
      {step === 2 && (
        <form className="form" onSubmit={next}>
          <div className="grid-2 tight">
            <Field label={t('mappings.provider')}>
              <select value={d.provider} onChange={(e) => set({ provider: e.target.value, entryId: '' })} required name="provider">
                <option value="" disabled>
                  …
                </option>
                {providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {providerName(t, p.displayName)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('mappings.upstreamModel')}>
              <input value={d.upstreamModel} onChange={(e) => set({ upstreamModel: e.target.value.trim() })} required list="upstream-models" name="upstreamModel" />
              <datalist id="upstream-models">
                {(provider?.defaultModels ?? []).map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
            </Field>
            <Field label={t('mappings.reasoning')}>
              <select value={d.reasoning} onChange={(e) => set({ reasoning: e.target.value as ReasoningLevel | '' })}>
                <option value="">{t('mappings.reasoningInherit')}</option>
                {reasoningLevels.map((l) => (
                  <option key={l} value={l}>
                    {t(`mappings.levels.${l}`)}
                  </option>
                ))}
              </select>
            </Field>
            {entries.length > 0 ? (
              <Field label={t('mappings.keyEntry')}>
                <select value={d.entryId} onChange={(e) => set({ entryId: e.target.value })}>
                  {entries.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name ?? k.label ?? k.maskedKey}
                    </option>
                  ))}
                </select>
              </Field>
            ) : (
              <Field label={t('mappings.prefix')}>
                <input value={d.prefix} onChange={(e) => set({ prefix: e.target.value.trim() })} pattern="[A-Za-z0-9._\-]*" />
              </Field>
            )}
          </div>
          <label className="check">
            <input type="checkbox" checked={d.fork} onChange={(e) => set({ fork: e.target.checked })} />
            {t('mappings.fork')}
          </label>
          <div className="dialog-buttons">
            <button type="button" className="btn" onClick={() => setStep(1)}>
              {t('app.back')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={!d.provider || !d.upstreamModel}>
              {t('app.next')}
            </button>
          </div>
        </form>
      )}
      {step === 3 && (
        <div className="form">
          <dl className="kv">
            <dt>{t('mappings.alias')}</dt>
            <dd className="mono">{d.alias}</dd>
            <dt>{t('mappings.target')}</dt>
            <dd>
              <span className="provider-tag">{d.provider}</span> <span className="mono">{d.upstreamModel}</span>
              {d.reasoning && ` · ${t(`mappings.levels.${d.reasoning}`)}`}
              {d.prefix && ` · ${d.prefix}/`}
            </dd>
          </dl>
          <h3>{t('mappings.effectiveRoute')}</h3>
          {/* Before saving, preview what the alias will route to: only this provider's accounts. */}
          <RoutePreviewView preview={scoped} />
          {!saved && scoped && scoped.candidates.length === 0 && (
            <p className="form-error" role="alert" data-testid="unserved">
              {t('mappings.unserved', { provider: d.provider })}
            </p>
          )}
          {err && <p className="form-error" role="alert">{err}</p>}
          {saved ? (
            <>
              <p className="success" role="status">
                {t('mappings.created', { alias: saved })}
              </p>
              <TryIt model={saved} />
              <div className="dialog-buttons">
                <button type="button" className="btn" onClick={reset}>
                  {t('app.close')}
                </button>
              </div>
            </>
          ) : (
            <div className="dialog-buttons">
              <button type="button" className="btn" onClick={() => setStep(2)}>
                {t('app.back')}
              </button>
              <button type="button" className="btn btn-primary" onClick={save} disabled={!!scoped && scoped.candidates.length === 0}>
                {props.editing ? t('mappings.update') : t('mappings.create')}
              </button>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
