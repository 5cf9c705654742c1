import { useEffect, useState, type ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import { useTranslation } from 'react-i18next';

export function Card(props: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; id?: string }) {
  const headingId = props.id ? `${props.id}-title` : undefined;
  return (
    <section className={`card ${props.className ?? ''}`} id={props.id} aria-labelledby={headingId}>
      {(props.title || props.actions) && (
        <header className="card-head">
          {props.title && <h2 id={headingId}>{props.title}</h2>}
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}

export function Empty(props: { children: ReactNode }) {
  return <div className="state state-empty">{props.children}</div>;
}

export function ErrorState(props: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <span>{props.message}</span>
      {props.onRetry && (
        <button type="button" className="btn btn-small" onClick={props.onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** Loading / error / empty / content, in that order, so every list shows one of them. */
export function Async(props: { loaded: boolean; error: string | null; empty: boolean; emptyText: ReactNode; onRetry?: () => void; children: ReactNode }) {
  if (props.error) return <ErrorState message={props.error} onRetry={props.onRetry} />;
  if (!props.loaded) return <Loading />;
  if (props.empty) return <Empty>{props.emptyText}</Empty>;
  return <>{props.children}</>;
}

export function CopyButton(props: { value: string | (() => Promise<string>); label?: string; className?: string; text?: string; onCopied?: () => void }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!done) return;
    const id = setTimeout(() => setDone(false), 1500);
    return () => clearTimeout(id);
  }, [done]);
  return (
    <button
      type="button"
      className={`btn btn-small ${props.className ?? ''}`}
      aria-label={props.label ? `${t('app.copy')}: ${props.label}` : t('app.copy')}
      onClick={async () => {
        const text = typeof props.value === 'string' ? props.value : await props.value();
        await copyText(text);
        setDone(true);
        props.onCopied?.();
      }}
    >
      <span aria-live="polite">{done ? t('app.copied') : (props.text ?? t('app.copy'))}</span>
    </button>
  );
}

/** Clipboard API where allowed (secure contexts), a hidden textarea otherwise (http://host/ui/). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
}

/**
 * Focus goes back to what opened a dialog, even when the dialog was opened from code (a table
 * row, a sign-in button whose list re-rendered) and Radix has no trigger to return to.
 */
function useReturnFocus(open: boolean): void {
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      setTimeout(() => {
        const lost = !document.activeElement || document.activeElement === document.body;
        if (lost && opener?.isConnected) opener.focus();
      }, 0);
    };
  }, [open]);
}

export function Modal(props: { open: boolean; onOpenChange(open: boolean): void; title: ReactNode; description?: ReactNode; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  useReturnFocus(props.open);
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className={`dialog ${props.wide ? 'dialog-wide' : ''}`}>
          <Dialog.Title className="dialog-title">{props.title}</Dialog.Title>
          {props.description ? <Dialog.Description className="dialog-desc">{props.description}</Dialog.Description> : <Dialog.Description className="sr-only">{props.title}</Dialog.Description>}
          {props.children}
          <Dialog.Close asChild>
            <button type="button" className="dialog-x" aria-label={t('app.close')}>
              ×
            </button>
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function Confirm(props: { open: boolean; onOpenChange(o: boolean): void; title: ReactNode; body: ReactNode; confirmLabel: string; onConfirm(): Promise<void> | void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title={props.title} description={props.body}>
      <div className="dialog-buttons">
        <Dialog.Close asChild>
          <button type="button" className="btn">
            {t('app.cancel')}
          </button>
        </Dialog.Close>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onConfirm();
              props.onOpenChange(false);
            } finally {
              setBusy(false);
            }
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

export function Field(props: { label: ReactNode; hint?: ReactNode; children: ReactNode; inline?: boolean }) {
  return (
    <label className={`field ${props.inline ? 'field-inline' : ''}`}>
      <span className="field-label">{props.label}</span>
      {props.children}
      {props.hint && <span className="field-hint">{props.hint}</span>}
    </label>
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'info';

export function Pill(props: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`pill pill-${props.tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function meterTone(left: number, warn: number, critical: number): Tone {
  return left <= critical ? 'bad' : left <= warn ? 'warn' : 'ok';
}

/**
 * A quota / capacity bar with one meaning everywhere: `left` is percent remaining; the bar is
 * filled to what is left, coloured by it, and `aria-valuenow` is the same number as the text.
 */
export function Meter(props: { left: number; warn: number; critical: number; label: string; valueText?: string }) {
  const left = Math.round(Math.min(100, Math.max(0, props.left)));
  const tone = meterTone(left, props.warn, props.critical);
  return (
    <div
      className={`meter meter-${tone}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={left}
      aria-valuetext={props.valueText}
      aria-label={props.label}
      data-left={left}
    >
      <div className="meter-fill" style={{ width: `${left}%` }} />
    </div>
  );
}
