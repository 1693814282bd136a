import { useEffect, useState } from 'react';
import { api, type User } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from './error-text';
import './people.css';

interface InvitationInfo {
  orgName: string;
  teamName: string | null;
  role: string;
  expiresAt: string;
}

/** Self-service sign-up at /signup?code=…: her name, where she lives, her own password. */
export function SignupPage({ onLogin }: { onLogin: (u: User) => void }) {
  const { t, locale, setLocale } = useI18n();
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('code') ?? '');
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [form, setForm] = useState({
    displayName: '',
    phone: '',
    county: '',
    township: '',
    village: '',
    password: '',
    again: '',
    consentNamed: false,
  });
  const [done, setDone] = useState<{ user: User; username: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form, v: string | boolean) => setForm((f) => ({ ...f, [k]: v }));

  useEffect(() => {
    if (code.trim().length < 4) return setInfo(null);
    const q = encodeURIComponent(code.trim());
    api<InvitationInfo>('GET', `/api/signup?code=${q}`).then(
      (r) => {
        setInfo(r);
        setError(null);
      },
      (err) => {
        setInfo(null);
        setError(errorText(t, err));
      },
    );
  }, [code, t]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ user: User; username: string }>('POST', '/api/signup', {
        code: code.trim(),
        displayName: form.displayName,
        password: form.password,
        phone: form.phone.trim() || null,
        county: form.county,
        township: form.township,
        village: form.village,
        consentNamed: form.consentNamed,
      });
      setDone(r);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="login">
        <div className="card login-card" data-testid="signup-done">
          <h1>{t('people.signup.welcome')}</h1>
          <p>{t('people.signup.yourUsername')}</p>
          <p className="big-code" data-testid="signup-username">
            {done.username}
          </p>
          <p className="small muted">{t('people.signup.remember')}</p>
          <button className="primary" onClick={() => onLogin(done.user)} data-testid="signup-start">
            {t('people.signup.start')}
          </button>
        </div>
      </div>
    );
  }

  const ready = info && form.displayName.trim() && form.password.length >= 8 && form.password === form.again;
  return (
    <div className="login">
      <form className="card login-card signup" onSubmit={submit} data-testid="signup-form">
        <h1>
          <span className="brand-mark">●</span> {t('people.signup.title')}
        </h1>
        <label>
          {t('people.signup.code')}
          <input name="code" value={code} onChange={(e) => setCode(e.target.value)} autoCapitalize="characters" />
        </label>
        {info && (
          <p className="ok" data-testid="signup-org">
            {t('people.signup.joining', { org: info.orgName })}
            {info.teamName && ` · ${info.teamName}`}
          </p>
        )}
        <label>
          {t('people.field.display_name')}
          <input name="displayName" value={form.displayName} onChange={(e) => set('displayName', e.target.value)} />
        </label>
        <label>
          {t('people.field.phone')}
          <input name="phone" inputMode="tel" value={form.phone} onChange={(e) => set('phone', e.target.value)} />
        </label>
        <div className="row three">
          <label>
            {t('people.field.county')}
            <input name="county" value={form.county} onChange={(e) => set('county', e.target.value)} />
          </label>
          <label>
            {t('people.field.township')}
            <input name="township" value={form.township} onChange={(e) => set('township', e.target.value)} />
          </label>
          <label>
            {t('people.field.village')}
            <input name="village" value={form.village} onChange={(e) => set('village', e.target.value)} />
          </label>
        </div>
        <label>
          {t('people.setPassword.new')}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => set('password', e.target.value)}
          />
        </label>
        <label>
          {t('people.setPassword.again')}
          <input
            name="password-again"
            type="password"
            autoComplete="new-password"
            value={form.again}
            onChange={(e) => set('again', e.target.value)}
          />
        </label>
        {form.again && form.again !== form.password && <p className="error">{t('people.setPassword.mismatch')}</p>}
        <label className="check">
          <input type="checkbox" checked={form.consentNamed} onChange={(e) => set('consentNamed', e.target.checked)} />
          {t('people.consentLong')}
        </label>
        {error && (
          <p className="error" role="alert" data-testid="signup-error">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={!ready || busy} data-testid="signup-submit">
          {t('people.signup.submit')}
        </button>
        <a href="/" className="small">
          {t('people.signup.haveAccount')}
        </a>
        <button type="button" className="link" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('app.language')}
        </button>
      </form>
    </div>
  );
}
