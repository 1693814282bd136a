import { useState } from 'react';
import { api, ApiError, type Project } from '../../api';
import { useI18n } from '../../i18n';

/** The project's quality rules: gold share, thresholds, review and consensus. */
export function QualitySettings({ project, onSaved }: { project: Project; onSaved: () => void }) {
  const { t } = useI18n();
  const q = project.quality;
  const [goldPct, setGoldPct] = useState(String(Math.round(q.goldRate * 100)));
  const [warnPct, setWarnPct] = useState(String(Math.round(q.warnBelow * 100)));
  const [suspendPct, setSuspendPct] = useState(String(Math.round(q.suspendBelow * 100)));
  const [minGold, setMinGold] = useState(String(q.minGold));
  const [reviewPct, setReviewPct] = useState(String(Math.round(q.reviewRate * 100)));
  const [agreementPct, setAgreementPct] = useState(String(Math.round(q.agreementThreshold * 100)));
  const [action, setAction] = useState(q.lowAgreementAction);
  const [method, setMethod] = useState(q.consensusMethod);
  const [maxExtra, setMaxExtra] = useState(String(q.maxExtraOverlap));
  const [skipAction, setSkipAction] = useState(q.goldSkipAction);
  const [skipMarginPct, setSkipMarginPct] = useState(String(Math.round(q.goldSkipMargin * 100)));
  const [batch, setBatch] = useState(String(q.feedbackBatch));
  const [message, setMessage] = useState<string | null>(null);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const contradiction = t('settings.thresholdsContradict', { warn: warnPct, suspend: suspendPct });
    // Said before sending; the server refuses the same pair (400 thresholds_contradict).
    if (Number(suspendPct) > Number(warnPct)) return setMessage(contradiction);
    try {
      await api('PATCH', `/api/projects/${project.id}`, {
        goldRate: Number(goldPct) / 100,
        warnBelow: Number(warnPct) / 100,
        suspendBelow: Number(suspendPct) / 100,
        minGold: Number(minGold),
        reviewRate: Number(reviewPct) / 100,
        agreementThreshold: Number(agreementPct) / 100,
        lowAgreementAction: action,
        consensusMethod: method,
        maxExtraOverlap: Number(maxExtra),
        goldSkipAction: skipAction,
        goldSkipMargin: Number(skipMarginPct) / 100,
        feedbackBatch: Number(batch),
      });
      setMessage(t('settings.saved'));
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.id === 'thresholds_contradict') setMessage(contradiction);
      else setMessage(err instanceof ApiError ? err.message : String(err));
    }
  };

  const pct = (label: string, value: string, set: (v: string) => void, name: string, max = 100) => (
    <label>
      {label}
      <input name={name} type="number" min={0} max={max} value={value} onChange={(e) => set(e.target.value)} />
    </label>
  );
  return (
    <form className="card form-grid" onSubmit={save} data-testid="quality-settings">
      <h3 className="wide">{t('settings.quality')}</h3>
      {pct(t('settings.goldPct'), goldPct, setGoldPct, 'goldPct', 50)}
      {pct(t('settings.warnPct'), warnPct, setWarnPct, 'warnPct')}
      {pct(t('settings.suspendPct'), suspendPct, setSuspendPct, 'suspendPct')}
      <label>
        {t('settings.minGold')}
        <input
          name="minGold"
          type="number"
          min={1}
          max={100}
          value={minGold}
          onChange={(e) => setMinGold(e.target.value)}
        />
      </label>
      {pct(t('settings.reviewPct'), reviewPct, setReviewPct, 'reviewPct')}
      {pct(t('settings.agreementPct'), agreementPct, setAgreementPct, 'agreementPct')}
      <label>
        {t('settings.lowAgreement')}
        <select value={action} onChange={(e) => setAction(e.target.value as typeof action)}>
          <option value="review">{t('settings.action.review')}</option>
          <option value="more_overlap">{t('settings.action.more_overlap')}</option>
          <option value="none">{t('settings.action.none')}</option>
        </select>
      </label>
      <label>
        {t('settings.method')}
        <select value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
          <option value="median">{t('settings.method.median')}</option>
          <option value="weighted">{t('settings.method.weighted')}</option>
        </select>
      </label>
      <label>
        {t('settings.maxExtra')}
        <input
          name="maxExtraOverlap"
          type="number"
          min={0}
          max={10}
          value={maxExtra}
          onChange={(e) => setMaxExtra(e.target.value)}
        />
      </label>
      <label>
        {t('settings.skipAction')}
        <select value={skipAction} onChange={(e) => setSkipAction(e.target.value as typeof skipAction)}>
          <option value="suspend">{t('settings.skipAction.suspend')}</option>
          <option value="warn">{t('settings.skipAction.warn')}</option>
          <option value="none">{t('settings.skipAction.none')}</option>
        </select>
      </label>
      {pct(t('settings.skipMarginPct'), skipMarginPct, setSkipMarginPct, 'skipMarginPct')}
      <label>
        {t('settings.feedbackBatch')}
        <input
          name="feedbackBatch"
          type="number"
          min={5}
          max={100}
          value={batch}
          onChange={(e) => setBatch(e.target.value)}
        />
      </label>
      <div className="wide row">
        <button className="primary" type="submit">
          {t('settings.save')}
        </button>
        {message && (
          <span className="small" data-testid="settings-message">
            {message}
          </span>
        )}
      </div>
    </form>
  );
}
