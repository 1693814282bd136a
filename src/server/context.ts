/**
 * Wires the server's parts once: database, blob store, repositories, services.
 * The HTTP app, the CLI and the tests all start from here.
 */
import type { Config } from './config.js';
import { durabilityFor, migrate, openDatabase, type Db } from './db/database.js';
import { AnnotationRepository } from './repositories/annotation.repository.js';
import { ExportRepository } from './repositories/export.repository.js';
import { AssignmentRepository } from './repositories/assignment.repository.js';
import { BlobRepository } from './repositories/blob.repository.js';
import { ItemRepository } from './repositories/item.repository.js';
import { OrgRepository } from './repositories/org.repository.js';
import { ProjectRepository } from './repositories/project.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { TokenRepository } from './repositories/token.repository.js';
import { LoginFailureRepository } from './repositories/login-failure.repository.js';
import { TokenService } from './services/token.service.js';
import { AuthService } from './services/auth.service.js';
import { systemClock, type Clock } from './services/clock.js';
import { ExportService } from './services/export.service.js';
import { ImageService } from './services/image.service.js';
import { ManifestService } from './services/manifest.service.js';
import { ProjectService } from './services/project.service.js';
import { QualityService } from './services/quality.service.js';
import { QualityRepository } from './repositories/quality.repository.js';
import { ReportRepository } from './repositories/report.repository.js';
import { ReportService } from './services/report.service.js';
import { UserService } from './services/user.service.js';
import { WorkService } from './services/work.service.js';
import { BlobStore } from './storage/blob-store.js';
import { HouseholdRepository } from './repositories/household.repository.js';
import { InvitationRepository } from './repositories/invitation.repository.js';
import { PeopleRepository } from './repositories/people.repository.js';
import { TeamRepository } from './repositories/team.repository.js';
import { CohortImportService } from './services/cohort-import.service.js';
import { HouseholdService } from './services/household.service.js';
import { InvitationService } from './services/invitation.service.js';
import { PeopleService } from './services/people.service.js';
import { ProjectMembership } from './services/project-membership.js';
import { TeamService } from './services/team.service.js';
import { CertificationRepository } from './repositories/certification.repository.js';
import { TrainingAttemptRepository } from './repositories/training-attempt.repository.js';
import { TrainingRepository } from './repositories/training.repository.js';
import { CertificationService } from './services/certification.service.js';
import { ExamService } from './services/exam.service.js';
import { LearnerService } from './services/learner.service.js';
import { TrainingService } from './services/training.service.js';
import { LedgerRepository } from './repositories/ledger.repository.js';
import { PayrollRepository } from './repositories/payroll.repository.js';
import { EarningsService } from './services/earnings.service.js';
import { WorkerViewRepository } from './repositories/worker-view.repository.js';
import { PayService } from './services/pay.service.js';

export async function createContext(config: Config, clock: Clock = systemClock) {
  const db: Db = openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
  await migrate(db);
  const store = new BlobStore(config.blobDir);
  const durability = durabilityFor(config.databaseUrl, config.sqliteSync);
  const repos = {
    orgs: new OrgRepository(db),
    users: new UserRepository(db),
    people: new PeopleRepository(db),
    teams: new TeamRepository(db),
    households: new HouseholdRepository(db),
    invitations: new InvitationRepository(db),
    tokens: new TokenRepository(db),
    loginFailures: new LoginFailureRepository(db),
    projects: new ProjectRepository(db),
    items: new ItemRepository(db),
    blobs: new BlobRepository(db),
    assignments: new AssignmentRepository(db),
    annotations: new AnnotationRepository(db),
    quality: new QualityRepository(db),
    exports: new ExportRepository(db),
    reports: new ReportRepository(db),
    training: new TrainingRepository(db),
    trainingAttempts: new TrainingAttemptRepository(db),
    certifications: new CertificationRepository(db),
    ledger: new LedgerRepository(db),
    payroll: new PayrollRepository(db),
  };
  const quality = new QualityService(db, repos.projects, repos.items, repos.assignments, repos.quality, clock);
  const membership = new ProjectMembership(repos.teams);
  const certifications = new CertificationService(
    db,
    repos.certifications,
    repos.users,
    repos.projects,
    repos.quality,
    clock,
  );
  const people = new PeopleService(db, repos.people, repos.teams, repos.households, repos.users, config, clock);
  const services = {
    auth: new AuthService(repos.users, config, clock, repos.tokens, repos.loginFailures),
    tokens: new TokenService(repos.tokens, clock),
    users: new UserService(repos.users, repos.orgs, clock),
    projects: new ProjectService(repos.projects, repos.orgs, repos.items, repos.annotations, clock, membership),
    images: new ImageService(db, repos.projects, repos.items, repos.blobs, store, config, clock),
    manifests: new ManifestService(db, repos.projects, repos.items, repos.blobs, config, clock),
    work: new WorkService(
      db,
      repos.projects,
      repos.items,
      repos.assignments,
      repos.annotations,
      quality,
      clock,
      membership,
      certifications,
    ),
    quality,
    people,
    cohorts: new CohortImportService(people, repos.people, repos.teams, repos.households, clock),
    teams: new TeamService(db, repos.teams, repos.people, repos.projects, membership, clock),
    households: new HouseholdService(repos.households),
    invitations: new InvitationService(repos.invitations, people, repos.users, repos.loginFailures, config, clock),
    membership,
    exports: new ExportService(repos.projects, repos.exports, clock),
    reports: new ReportService(repos.reports, clock),
    certifications,
    training: new TrainingService(
      db,
      repos.training,
      repos.trainingAttempts,
      repos.certifications,
      repos.blobs,
      store,
      config,
      clock,
    ),
    learner: new LearnerService(
      repos.training,
      repos.trainingAttempts,
      repos.certifications,
      repos.projects,
      repos.quality,
      clock,
    ),
    exams: new ExamService(db, repos.training, repos.trainingAttempts, certifications, clock),
    pay: new PayService(db, repos.ledger, repos.payroll, repos.users, repos.projects, clock),
    earnings: new EarningsService(repos.ledger, repos.payroll, clock, new WorkerViewRepository(db)),
  };
  return {
    config,
    clock,
    db,
    store,
    durability,
    repos,
    services,
    close: async () => {
      await durability.close();
      await db.destroy();
    },
  };
}

export type Context = Awaited<ReturnType<typeof createContext>>;
