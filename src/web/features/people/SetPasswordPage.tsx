import { useState } from 'react';
import { api, type User } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from './error-text';
import './people.css';

/**
 * First login with a one-time code: she chooses her own password before anything
 * else (the server allows that session nothing else).
 */
export function SetPasswordPage({
  user,
  onDone,
  onLogout,
}: {
  user: User;
  onDone: (u: User) => void;
  onLogout: () => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = again.length > 0 && again !== password;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (password !== again) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ user: User }>('POST', '/api/me/password', { password });
      onDone(r.user);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="card login-card" onSubmit={submit} data-testid="set-password">
        <h1>
          <span className="brand-mark">●</span> {t('people.setPassword.title')}
        </h1>
        <p>{t('people.setPassword.hello', { name: user.display_name, username: user.username })}</p>
        <p className="small muted">{t('people.setPassword.explain')}</p>
        <label>
          {t('people.setPassword.new')}
          <input
            name="new-password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          {t('people.setPassword.again')}
          <input
            name="new-password-again"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        {mismatch && <p className="error">{t('people.setPassword.mismatch')}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button
          className="primary"
          type="submit"
          disabled={busy || password.length < 8 || password !== again}
          data-testid="save-password"
        >
          {t('people.setPassword.save')}
        </button>
        <button type="button" className="link" onClick={onLogout}>
          {t('app.logout')}
        </button>
      </form>
    </div>
  );
}
