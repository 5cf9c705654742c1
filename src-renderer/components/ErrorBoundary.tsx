import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  children: ReactNode;
  /** Called before rendering the children again (e.g. to re-create a lazy chunk that failed). */
  onRetry?: () => void;
  /** Changing it clears a caught error (a new page was opened). */
  resetKey?: unknown;
}

/**
 * Catches a page that throws while rendering, or a lazy chunk that failed to load (server gone),
 * and shows the message with Retry, instead of unmounting the whole app to a white page.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null; key: unknown }> {
  override state: { error: Error | null; key: unknown } = { error: null, key: undefined };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key: unknown }) {
    if (props.resetKey !== state.key) return { error: null, key: props.resetKey };
    return null;
  }

  retry = () => {
    this.props.onRetry?.();
    this.setState({ error: null });
  };

  override render() {
    if (this.state.error) return <Fallback message={this.state.error.message} onRetry={this.retry} />;
    return this.props.children;
  }
}

function Fallback(props: { message: string; onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert" data-testid="page-error">
      <div>
        <strong>{t('app.pageFailed')}</strong>
        <div className="small mono">{props.message}</div>
      </div>
      <button type="button" className="btn btn-small" onClick={props.onRetry}>
        {t('app.retry')}
      </button>
    </div>
  );
}
