/**
 * Wires the server's parts once: database, blob store, repositories, services.
 * The HTTP app, the CLI and the tests all start from here.
 */
import type { Config } from './config.js';
import { durabilityFor, migrate, openDatabase, type Db } from './db/database.js';
import { AnnotationRepository } from './repositories/annotation.repository.js';
import { AssignmentRepository } from './repositories/assignment.repository.js';
import { BlobRepository } from './repositories/blob.repository.js';
import { ItemRepository } from './repositories/item.repository.js';
import { OrgRepository } from './repositories/org.repository.js';
import { ProjectRepository } from './repositories/project.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { AuthService } from './services/auth.service.js';
import { systemClock, type Clock } from './services/clock.js';
import { ExportService } from './services/export.service.js';
import { ImageService } from './services/image.service.js';
import { ManifestService } from './services/manifest.service.js';
import { ProjectService } from './services/project.service.js';
import { QualityService } from './services/quality.service.js';
import { QualityRepository } from './repositories/quality.repository.js';
import { UserService } from './services/user.service.js';
import { WorkService } from './services/work.service.js';
import { BlobStore } from './storage/blob-store.js';

export async function createContext(config: Config, clock: Clock = systemClock) {
  const db: Db = openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync });
  await migrate(db);
  const store = new BlobStore(config.blobDir);
  const durability = durabilityFor(config.databaseUrl, config.sqliteSync);
  const repos = {
    orgs: new OrgRepository(db),
    users: new UserRepository(db),
    projects: new ProjectRepository(db),
    items: new ItemRepository(db),
    blobs: new BlobRepository(db),
    assignments: new AssignmentRepository(db),
    annotations: new AnnotationRepository(db),
    quality: new QualityRepository(db),
  };
  const quality = new QualityService(db, repos.projects, repos.items, repos.assignments, repos.quality, clock);
  const services = {
    auth: new AuthService(repos.users, config, clock),
    users: new UserService(repos.users, repos.orgs, clock),
    projects: new ProjectService(repos.projects, repos.orgs, repos.items, repos.annotations, clock),
    images: new ImageService(db, repos.projects, repos.items, repos.blobs, store, config, clock),
    manifests: new ManifestService(db, repos.projects, repos.items, repos.blobs, config, clock),
    work: new WorkService(db, repos.projects, repos.items, repos.assignments, repos.annotations, quality, clock),
    quality,
    exports: new ExportService(repos.projects, repos.items, repos.annotations, clock),
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
