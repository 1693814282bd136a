import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** A dialog over the page; Escape or the close button leaves it. Full width on a phone. */
export function Modal({
  title,
  onClose,
  children,
  testId,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const { t } = useI18n();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`card modal${wide ? ' wide' : ''}`} role="dialog" aria-label={title} data-testid={testId}>
        <div className="row">
          <h3>{title}</h3>
          <span className="spacer" />
          <button className="link" onClick={onClose} aria-label={t('people.close')}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
