import { useState } from 'react';
import { api, ApiError, type User } from '../../api';
import { useI18n } from '../../i18n';

export function LoginPage({ onLogin }: { onLogin: (u: User) => void }) {
  const { t, locale, setLocale } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ user: User }>('POST', '/api/auth/login', { username, password });
      onLogin(r.user);
    } catch (err) {
      const id = err instanceof ApiError ? err.id : 'network';
      setError(
        id === 'login_rate_limited'
          ? t('login.rateLimited')
          : id === 'network'
            ? t('error.network')
            : t('login.failed'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>
          <span className="brand-mark">●</span> {t('app.name')}
        </h1>
        <p className="muted">{t('app.tagline')}</p>
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy || !username || !password}>
          {t('login.submit')}
        </button>
        <button type="button" className="link" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('app.language')}
        </button>
      </form>
    </div>
  );
}
