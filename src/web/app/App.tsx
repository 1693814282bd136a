import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type User } from '../api';
import { LoginPage } from '../features/auth/LoginPage';
import { ItemPage } from '../features/manager/ItemPage';
import { ProjectPage } from '../features/manager/ProjectPage';
import { ProjectsPage } from '../features/manager/ProjectsPage';
import { GoldEditorPage } from '../features/manager/GoldEditorPage';
import { QualityPage } from '../features/quality/QualityPage';
import { ReviewPage } from '../features/quality/ReviewPage';
import { EmploymentReport } from '../features/reports/EmploymentReport';
import { peopleRoute } from '../features/people/routes';
import { SetPasswordPage } from '../features/people/SetPasswordPage';
import { SignupPage } from '../features/people/SignupPage';
import { WorkerHome } from '../features/worker/WorkerHome';
import { EarningsPage } from '../features/pay/EarningsPage';
import { PayPage } from '../features/pay/PayPage';
import { Workspace } from '../features/worker/Workspace';
import { trainingHome, trainingRoute } from '../features/training/routes';
import { useI18n } from '../i18n';
import { Link, match, navigate, usePath } from './router';

export function App() {
  const { t } = useI18n();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const path = usePath();

  useEffect(() => {
    api<{ user: User }>('GET', '/api/me').then(
      (r) => setUser(r.user),
      (err) => {
        if (err instanceof ApiError && err.status === 401) setUser(null);
        else setUser(null);
      },
    );
  }, []);

  const logout = useCallback(async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    setUser(null);
    navigate('/', true);
  }, []);

  if (user === undefined) return <div className="center muted">{t('app.loading')}</div>;
  if (user === null && match('/signup', path)) {
    return <SignupPage onLogin={(u) => (setUser(u), navigate('/', true))} />;
  }
  if (user === null) return <LoginPage onLogin={(u) => setUser(u)} />;
  // A session opened with a one-time code can do nothing but choose a password.
  if (user.must_change_password) return <SetPasswordPage user={user} onDone={setUser} onLogout={logout} />;

  let work;
  if ((work = match('/work/:projectId', path)) && user.role === 'worker') {
    return <Workspace projectId={Number(work.projectId)} user={user} onExit={() => navigate('/')} />;
  }
  const training = trainingRoute(path, user);
  if (training?.fullScreen) return training.node;
  let page: React.ReactNode;
  let m;
  if (training) page = training.node;
  else if (user.role === 'worker' && match('/me/earnings', path)) page = <EarningsPage />;
  else if (user.role === 'worker') page = <WorkerHome user={user} />;
  else if ((m = match('/projects/:id/items/:itemId/gold', path)) && user.role !== 'client')
    return <GoldEditorPage projectId={Number(m.id)} itemId={Number(m.itemId)} />;
  else if ((m = match('/projects/:id/items/:itemId', path)))
    page = <ItemPage itemId={Number(m.itemId)} projectId={Number(m.id)} />;
  else if ((m = match('/projects/:id/quality', path))) page = <QualityPage projectId={Number(m.id)} />;
  else if ((m = match('/projects/:id/review', path))) page = <ReviewPage projectId={Number(m.id)} />;
  else if ((m = match('/projects/:id', path))) page = <ProjectPage projectId={Number(m.id)} user={user} />;
  else if (match('/pay', path) && (user.role === 'admin' || user.role === 'manager')) page = <PayPage />;
  else if (match('/reports/employment', path) && (user.role === 'admin' || user.role === 'manager'))
    page = <EmploymentReport />;
  else if (peopleRoute(path, user)) page = peopleRoute(path, user);
  else page = <ProjectsPage user={user} />;
  return (
    <div className="shell">
      <Header user={user} onLogout={logout} />
      <main className="page">{page}</main>
    </div>
  );
}

export function Header({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        <span className="brand-mark">●</span> {t('app.name')} <small>{t('app.tagline')}</small>
      </Link>
      {(user.role === 'admin' || user.role === 'manager') && <Link to="/reports/employment">{t('report.nav')}</Link>}
      {trainingHome(user) && <Link to={trainingHome(user)!}>{t('training.nav')}</Link>}
      {(user.role === 'admin' || user.role === 'manager') && <Link to="/workers">{t('people.nav')}</Link>}
      {(user.role === 'admin' || user.role === 'manager') && <Link to="/pay">{t('pay.nav')}</Link>}
      {user.role === 'worker' && <Link to="/me/earnings">{t('pay.navEarnings')}</Link>}
      <span className="spacer" />
      <span className="who">
        {user.display_name} · {t(`role.${user.role}`)}
      </span>
      <button className="link" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
        {t('app.language')}
      </button>
      <button className="link" onClick={onLogout} data-testid="logout">
        {t('app.logout')}
      </button>
    </header>
  );
}
