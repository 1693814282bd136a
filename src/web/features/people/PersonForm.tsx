import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { errorText } from './error-text';
import { Modal } from './Modal';
import {
  householdLabel,
  shortTime,
  type HouseholdStatus,
  type IssuedCode,
  type Person,
  type PersonDetail,
  type Team,
} from './people-api';

interface Draft {
  displayName: string;
  username: string;
  role: 'worker' | 'reviewer';
  phone: string;
  county: string;
  township: string;
  village: string;
  household: string;
  startDate: string;
  endDate: string;
  consentNamed: boolean;
  teamId: string;
}

const draftOf = (p: Person | null): Draft => ({
  displayName: p?.displayName ?? '',
  username: '',
  role: p?.role === 'reviewer' ? 'reviewer' : 'worker',
  phone: p?.phone ?? '',
  county: p?.county ?? '',
  township: p?.township ?? '',
  village: p?.village ?? '',
  household: p?.household ?? 'none',
  startDate: p?.startDate ?? '',
  endDate: p?.endDate ?? '',
  consentNamed: p?.consentNamed ?? false,
  teamId: p?.teamId ? String(p.teamId) : '',
});

/** Add one person (she gets a one-time code) or edit a profile, with its change log. */
export function PersonForm({
  person,
  statuses,
  teams,
  onClose,
  onSaved,
  onIssued,
}: {
  person: Person | null;
  statuses: HouseholdStatus[];
  teams: Team[];
  onClose: () => void;
  onSaved: () => void;
  onIssued: (codes: IssuedCode[]) => void;
}) {
  const { t, locale } = useI18n();
  const [d, setD] = useState<Draft>(() => draftOf(person));
  const [detail, setDetail] = useState<PersonDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));

  useEffect(() => {
    if (person) api<PersonDetail>('GET', `/api/people/${person.id}`).then(setDetail, () => {});
  }, [person]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const common = {
      displayName: d.displayName,
      phone: d.phone.trim() || null,
      county: d.county,
      township: d.township,
      village: d.village,
      household: d.household,
      consentNamed: d.consentNamed,
      teamId: d.teamId ? Number(d.teamId) : null,
    };
    try {
      if (person) {
        await api('PATCH', `/api/people/${person.id}`, {
          ...common,
          startDate: d.startDate || null,
          endDate: d.endDate || null,
        });
        onSaved();
      } else {
        const r = await api<{ person: Person; code: string; expiresAt: string }>('POST', '/api/people', {
          ...common,
          role: d.role,
          ...(d.username.trim() ? { username: d.username.trim() } : {}),
          ...(d.startDate ? { startDate: d.startDate } : {}),
        });
        onSaved();
        onIssued([
          {
            id: r.person.id,
            username: r.person.username,
            displayName: r.person.displayName,
            code: r.code,
            expiresAt: r.expiresAt,
          },
        ]);
      }
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const active = statuses.filter((s) => s.active || s.code === person?.household);
  /** A logged value in words: labels for codes, yes/no for flags, names for teams. */
  const shown = (field: string, value: string | null) => {
    if (value === null) return '—';
    if (field === 'household') return householdLabel(statuses, value, locale);
    if (field === 'consent_named' || field === 'disabled') return value === '1' ? t('people.yes') : t('people.no');
    if (field === 'team_id') return teams.find((tm) => String(tm.id) === value)?.name ?? value;
    if (field === 'password') return t(value === 'reset' ? 'people.reset' : 'people.passwordSet');
    return value;
  };
  return (
    <Modal title={person ? t('people.edit') : t('people.add')} onClose={onClose} testId="person-form" wide>
      <form className="form-grid" onSubmit={submit}>
        <label>
          {t('people.field.display_name')}
          <input
            name="displayName"
            value={d.displayName}
            onChange={(e) => set('displayName', e.target.value)}
            required
            autoFocus
          />
        </label>
        {!person && (
          <label>
            {t('login.username')}
            <input
              name="username"
              value={d.username}
              placeholder={t('people.usernameAuto')}
              onChange={(e) => set('username', e.target.value)}
            />
          </label>
        )}
        {!person && (
          <label>
            {t('people.field.role')}
            <select name="role" value={d.role} onChange={(e) => set('role', e.target.value as Draft['role'])}>
              <option value="worker">{t('role.worker')}</option>
              <option value="reviewer">{t('role.reviewer')}</option>
            </select>
          </label>
        )}
        <label>
          {t('people.field.phone')}
          <input name="phone" inputMode="tel" value={d.phone} onChange={(e) => set('phone', e.target.value)} />
        </label>
        <label>
          {t('people.field.county')}
          <input name="county" value={d.county} onChange={(e) => set('county', e.target.value)} />
        </label>
        <label>
          {t('people.field.township')}
          <input name="township" value={d.township} onChange={(e) => set('township', e.target.value)} />
        </label>
        <label>
          {t('people.field.village')}
          <input name="village" value={d.village} onChange={(e) => set('village', e.target.value)} />
        </label>
        <label>
          {t('people.field.household')}
          <select name="household" value={d.household} onChange={(e) => set('household', e.target.value)}>
            {active.map((s) => (
              <option key={s.code} value={s.code}>
                {householdLabel(statuses, s.code, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('people.field.team_id')}
          <select name="teamId" value={d.teamId} onChange={(e) => set('teamId', e.target.value)}>
            <option value="">{t('people.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('people.field.start_date')}
          <input name="startDate" type="date" value={d.startDate} onChange={(e) => set('startDate', e.target.value)} />
        </label>
        {person && (
          <label>
            {t('people.field.end_date')}
            <input name="endDate" type="date" value={d.endDate} onChange={(e) => set('endDate', e.target.value)} />
          </label>
        )}
        <label className="wide check">
          <input
            type="checkbox"
            name="consentNamed"
            checked={d.consentNamed}
            onChange={(e) => set('consentNamed', e.target.checked)}
          />
          {t('people.consentLong')}
        </label>
        <p className="wide small muted">{t('people.privacyNote')}</p>
        {error && (
          <p className="error wide" role="alert">
            {error}
          </p>
        )}
        <div className="wide row">
          <button className="primary" type="submit" disabled={busy || !d.displayName.trim()} data-testid="save-person">
            {person ? t('people.save') : t('people.addAndCode')}
          </button>
          <button type="button" onClick={onClose}>
            {t('app.back')}
          </button>
        </div>
      </form>
      {detail && detail.changes.length > 0 && (
        <details className="history" data-testid="profile-changes">
          <summary>{t('people.history')}</summary>
          <ul className="small">
            {detail.changes.map((c) => (
              <li key={c.id}>
                {shortTime(c.at)} · {c.changedByName ?? t('people.self')} · {t(`people.field.${c.field}` as MessageKey)}
                : {shown(c.field, c.oldValue)} → {shown(c.field, c.newValue)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </Modal>
  );
}
