import type { User } from '../../api';
import { Link } from '../../app/router';
import { useI18n, type MessageKey } from '../../i18n';
import { HouseholdStatusesPanel } from './HouseholdStatusesPanel';
import { InvitationsPanel } from './InvitationsPanel';
import { ProjectMembersPanel } from './ProjectMembersPanel';
import { TeamsPanel } from './TeamsPanel';
import { WorkersPanel } from './WorkersPanel';
import './people.css';

import type { PeopleTab } from './routes';

const TABS: { tab: PeopleTab; to: string; label: MessageKey }[] = [
  { tab: 'people', to: '/workers', label: 'people.tab.people' },
  { tab: 'teams', to: '/teams', label: 'people.tab.teams' },
  { tab: 'projects', to: '/workers/projects', label: 'people.tab.projects' },
  { tab: 'invitations', to: '/workers/invitations', label: 'people.tab.invitations' },
  { tab: 'households', to: '/workers/households', label: 'people.tab.households' },
];

/** The manager's people pages: workers, teams, project assignment, invitations, household statuses. */
export function PeoplePage({ tab, user }: { tab: PeopleTab; user: User }) {
  const { t } = useI18n();
  return (
    <section className="people-page">
      <h2>{t('people.title')}</h2>
      <nav className="tabs" data-testid="people-tabs">
        {TABS.map((x) => (
          <Link key={x.tab} to={x.to} className={x.tab === tab ? 'tab on' : 'tab'}>
            {t(x.label)}
          </Link>
        ))}
      </nav>
      {tab === 'people' && <WorkersPanel />}
      {tab === 'teams' && <TeamsPanel />}
      {tab === 'projects' && <ProjectMembersPanel />}
      {tab === 'invitations' && <InvitationsPanel />}
      {tab === 'households' && <HouseholdStatusesPanel user={user} />}
    </section>
  );
}

export default PeoplePage;
