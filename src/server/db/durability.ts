/**
 * Group commit for SQLite. In WAL mode with `synchronous=NORMAL` a commit is in the
 * write-ahead log but not yet on disk: a process crash keeps it, a power cut may not.
 * Rather than fsync on every commit in the event loop (`synchronous=FULL`), a write
 * is acknowledged after one `fdatasync` of the log, run off the event loop and
 * shared by every write that committed before it started.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';

export interface Durability {
  /** Resolves once every transaction committed before the call is on disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const noDurabilityWait: Durability = { sync: async () => {}, close: async () => {} };

export class WalGroupSync implements Durability {
  private handle: Promise<fsp.FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly walPath: string) {}

  sync(): Promise<void> {
    // A sync already running may have started before our commit: wait for the next one.
    if (this.running) {
      this.queued ??= this.running.then(() => {
        this.queued = null;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }

  private start(): Promise<void> {
    const run: Promise<void> = this.datasync().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async datasync() {
    // No log file: everything was checkpointed into the database file, which SQLite syncs.
    if (!fs.existsSync(this.walPath)) return;
    this.handle ??= fsp.open(this.walPath, 'r+');
    await (await this.handle).datasync();
  }

  async close() {
    if (this.handle) await (await this.handle).close().catch(() => {});
    this.handle = null;
  }
}
