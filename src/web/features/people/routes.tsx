/**
 * The people pages' routes. The pages load on demand: they are for managers, and
 * stay out of the worker app's first load.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import type { User } from '../../api';

const PeoplePage = lazy(() => import('./PeoplePage'));

export type PeopleTab = 'people' | 'teams' | 'invitations' | 'projects' | 'households';

/** The tab a path names, or null when the path is not a people page. */
export function peopleTabOf(path: string): PeopleTab | null {
  const p = path.replace(/\/+$/, '');
  if (p === '/workers') return 'people';
  if (p === '/teams') return 'teams';
  const m = /^\/workers\/(invitations|projects|households)$/.exec(p);
  return m ? (m[1] as PeopleTab) : null;
}

/** The people page for `path`, or null when the path is not one or the user is not a manager or admin. */
export function peopleRoute(path: string, user: User): ReactNode | null {
  const tab = peopleTabOf(path);
  if (!tab || (user.role !== 'admin' && user.role !== 'manager')) return null;
  return (
    <Suspense fallback={null}>
      <PeoplePage tab={tab} user={user} />
    </Suspense>
  );
}
