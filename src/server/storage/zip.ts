/**
 * Unpacks an uploaded zip archive into a staging folder, refusing hostile archives:
 * entries that climb out of the folder, absolute paths, symbolic links, too many
 * entries, and more uncompressed bytes than allowed (zip bombs; yauzl also checks
 * each entry's real size against its header).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError, badRequest, tooLarge } from '../errors.js';

export const MAX_ZIP_ENTRIES = 100_000;

export interface UnzippedFile {
  name: string;
  file: string;
}

/** Names that operating systems leave in archives and that are not data. */
function isJunk(name: string): boolean {
  const base = path.posix.basename(name);
  return name.startsWith('__MACOSX/') || base.startsWith('.') || base === 'Thumbs.db' || base === 'desktop.ini';
}

export function isUnsafeEntryName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').some((seg) => seg === '..');
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err ? reject(err) : resolve(zip!)),
    ),
  );
}

export async function unzipTo(
  archive: string,
  archiveName: string,
  outDir: string,
  maxTotalBytes: number,
): Promise<UnzippedFile[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(archive);
  } catch (err) {
    throw mapZipError(err, archiveName);
  }
  const files: UnzippedFile[] = [];
  let total = 0;
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const handle = async () => {
          if (isUnsafeEntryName(name)) {
            throw badRequest('zip_unsafe_path', `${archiveName} holds an entry that leaves its folder: ${name}`);
          }
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (mode === 0o120000) {
            throw badRequest('zip_unsafe_path', `${archiveName} holds a symbolic link: ${name}`);
          }
          if (name.endsWith('/') || isJunk(name)) return;
          if (++count > MAX_ZIP_ENTRIES) {
            throw tooLarge('zip_too_many_entries', `${archiveName} holds more than ${MAX_ZIP_ENTRIES} files.`);
          }
          total += entry.uncompressedSize;
          if (total > maxTotalBytes) {
            throw tooLarge('zip_too_large', `${archiveName} unpacks to more than ${maxTotalBytes} bytes.`);
          }
          const out = path.join(outDir, `z${files.length}`);
          const stream = await new Promise<NodeJS.ReadableStream>((res, rej) =>
            zip.openReadStream(entry, (err, s) => (err ? rej(err) : res(s!))),
          );
          await pipeline(stream, fs.createWriteStream(out));
          files.push({ name, file: out });
        };
        handle().then(
          () => zip.readEntry(),
          (err) => reject(err),
        );
      });
      zip.readEntry();
    });
  } catch (err) {
    throw mapZipError(err, archiveName);
  } finally {
    zip.close();
  }
  return files;
}

function mapZipError(err: unknown, archiveName: string): AppError {
  if (err instanceof AppError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/invalid relative path|absolute path/i.test(message)) {
    return badRequest('zip_unsafe_path', `${archiveName} holds an entry that leaves its folder.`);
  }
  return badRequest('zip_corrupt', `${archiveName} is not a readable zip archive: ${message}`);
}
