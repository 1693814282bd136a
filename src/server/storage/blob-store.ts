/**
 * Image bytes in a local folder, named by their SHA-256 so each image is stored once:
 * `<root>/ab/cd/<sha256>` and previews at `<root>/previews/ab/<sha256>.jpg`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export class BlobStore {
  constructor(readonly root: string) {
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  }

  pathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  previewPathOf(sha256: string): string {
    return path.join(this.root, 'previews', sha256.slice(0, 2), `${sha256}.jpg`);
  }

  /** A fresh staging folder inside the store, so that final renames stay on one device. */
  async stagingDir(): Promise<string> {
    return fsp.mkdtemp(path.join(this.root, 'tmp', 'up-'));
  }

  async has(sha256: string): Promise<boolean> {
    return fsp.access(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Moves a staged file into place. Returns false when the blob was already there
   * (the staged copy is dropped), true when this call created it.
   */
  async adopt(stagedFile: string, sha256: string): Promise<boolean> {
    const dest = this.pathOf(sha256);
    if (await this.has(sha256)) {
      await fsp.rm(stagedFile, { force: true });
      return false;
    }
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(stagedFile, dest);
    return true;
  }

  async adoptPreview(stagedFile: string, sha256: string): Promise<void> {
    const dest = this.previewPathOf(sha256);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(stagedFile, dest);
  }

  /** Removes blobs this request created, when the request fails after adopting them. */
  async remove(sha256: string): Promise<void> {
    await fsp.rm(this.pathOf(sha256), { force: true });
    await fsp.rm(this.previewPathOf(sha256), { force: true });
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
