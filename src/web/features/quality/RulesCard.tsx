import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';

type RuleName = 'gold' | 'peer' | 'swap' | 'fast' | 'skip' | 'review';

interface Did {
  warned: number;
  suspended: number;
  cleared: number;
  discarded: number;
  waiting?: number;
  reviewed?: number;
  accepted?: number;
  rejected?: number;
}

interface RuleLine {
  rule: RuleName;
  on: boolean;
  settings: Record<string, number | string>;
  did: Did;
}

interface QualityEvent {
  id: number;
  at: string;
  worker: { id: number; name: string } | null;
  itemId: number | null;
  rule: string;
  action: string;
  count: number;
}

const pct = (x: number | string) => Math.round(Number(x) * 1000) / 10;

/** The project's quality rules, one line each with what it did, and the log of its actions. */
export function RulesCard({ projectId }: { projectId: number }) {
  const { t } = useI18n();
  const [rules, setRules] = useState<RuleLine[] | null>(null);
  const [events, setEvents] = useState<QualityEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadEvents = useCallback(
    (before: number) =>
      api<{ events: QualityEvent[]; next: number | null }>(
        'GET',
        `/api/projects/${projectId}/quality/events?before=${before}&limit=50`,
      ).then(
        (page) => {
          setEvents((old) => (before === 0 ? page.events : [...old, ...page.events]));
          setNext(page.next);
        },
        (e) => setError(e.message),
      ),
    [projectId],
  );
  useEffect(() => {
    api<{ rules: RuleLine[] }>('GET', `/api/projects/${projectId}/quality/rules`).then(
      (r) => setRules(r.rules),
      (e) => setError(e.message),
    );
    void loadEvents(0);
  }, [projectId, loadEvents]);

  const text = (r: RuleLine): string => {
    const s = r.settings;
    switch (r.rule) {
      case 'gold':
        return t('rules.gold', {
          rate: pct(s.goldRate),
          warn: pct(s.warnBelow),
          suspend: pct(s.suspendBelow),
          min: s.minGold,
        });
      case 'peer':
        return t('rules.peer', { warn: pct(s.warnBelow), suspend: pct(s.suspendBelow), min: s.min });
      case 'swap':
        return t('rules.swap', { share: pct(s.suspendShare) });
      case 'fast':
        return t('rules.fast', { ms: s.msPerPoint, after: s.suspendAfter });
      case 'skip':
        return t('rules.skip', {
          margin: pct(s.margin),
          action: t(`rules.skip.${String(s.action)}` as MessageKey),
        });
      case 'review':
        return t('rules.review', {
          rate: pct(s.reviewRate),
          threshold: pct(s.agreementThreshold),
          low: t(`rules.review.low.${String(s.lowAgreementAction)}` as MessageKey),
        });
      default: {
        const never: never = r.rule;
        return String(never);
      }
    }
  };
  const did = (r: RuleLine): string =>
    r.rule === 'review'
      ? t('rules.didReview', {
          waiting: r.did.waiting ?? 0,
          reviewed: r.did.reviewed ?? 0,
          rejected: r.did.rejected ?? 0,
        })
      : t('rules.did', { warned: r.did.warned, suspended: r.did.suspended, discarded: r.did.discarded });

  if (error) return <p className="error">{t('error.generic', { message: error })}</p>;
  if (!rules) return null;
  return (
    <div className="card" data-testid="quality-rules">
      <h3>{t('rules.title')}</h3>
      <ul>
        {rules.map((r) => (
          <li key={r.rule} className={r.on ? '' : 'muted'} data-testid={`rule-${r.rule}`}>
            {text(r)} {r.on ? <span className="small">{did(r)}</span> : t('rules.off')}
          </li>
        ))}
      </ul>
      <h3>{t('rules.events')}</h3>
      {events.length === 0 ? (
        <p className="muted">{t('rules.noEvents')}</p>
      ) : (
        <ul className="small" data-testid="quality-events">
          {events.map((e) => (
            <li key={e.id}>
              {e.at.slice(0, 16).replace('T', ' ')} · {e.worker?.name ?? '—'} ·{' '}
              {t(`rules.rule.${e.rule}` as MessageKey)} · <b>{t(`rules.action.${e.action}` as MessageKey)}</b>
              {e.count > 0 ? ` · ${t('rules.count', { n: e.count })}` : ''}
            </li>
          ))}
        </ul>
      )}
      {next !== null && (
        <button onClick={() => void loadEvents(next)} data-testid="quality-events-more">
          {t('rules.more')}
        </button>
      )}
    </div>
  );
}
