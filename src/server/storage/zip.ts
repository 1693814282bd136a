/**
 * Unpacks an uploaded zip archive into a staging folder, refusing hostile archives:
 * entries that climb out of the folder, absolute paths, symbolic links, too many
 * entries, and zip bombs. Every entry's declared size and compression ratio are
 * checked against the limits before the first byte is extracted; while inflating,
 * bytes are counted against the same limits (and yauzl checks each entry's real size
 * against its header), so a lying header stops at the limit rather than at the disk's end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError, badRequest, tooLarge } from '../errors.js';

export const MAX_ZIP_ENTRIES = 100_000;
/**
 * Photos (JPEG, PNG, WebP) are compressed already and shrink by a few percent in a
 * zip; even text rarely passes 10:1. Deflate reaches about 1000:1 only on repeats,
 * which is what a bomb is made of.
 */
export const MAX_COMPRESSION_RATIO = 100;
/** Below this many unpacked bytes a ratio says nothing: a small file of repeats is harmless. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export interface ZipLimits {
  /** Most bytes the extracted entries may unpack to, together. */
  maxTotalBytes: number;
  /** Most bytes one entry may unpack to: the limit of a loose file. */
  maxEntryBytes: number;
}

export interface UnzipOptions extends ZipLimits {
  /** Why an entry should be left in the archive (undefined: extract it). */
  skip?: (name: string) => string | undefined;
}

export interface UnzippedFile {
  name: string;
  file: string;
}

export interface SkippedEntry {
  archive: string;
  name: string;
  reason: string;
}

export interface UnzipResult {
  files: UnzippedFile[];
  skipped: SkippedEntry[];
  /** Bytes the extracted entries unpacked to. */
  bytes: number;
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
      // autoClose off: every entry is read (and checked) before the first is extracted.
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err ? reject(err) : resolve(zip!)),
    ),
  );
}

/** Every entry of the central directory, without extracting any. */
function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** Passes bytes on until `check` (told each chunk's size) names a reason to stop. */
function byteCounter(check: (bytes: number) => AppError | undefined) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const err = check(chunk.length);
      if (err) done(err);
      else done(null, chunk);
    },
  });
}

export async function unzipTo(
  archive: string,
  archiveName: string,
  outDir: string,
  options: UnzipOptions,
): Promise<UnzipResult> {
  const { maxTotalBytes, maxEntryBytes } = options;
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(archive);
  } catch (err) {
    throw mapZipError(err, archiveName);
  }
  const skipped: SkippedEntry[] = [];
  const files: UnzippedFile[] = [];
  const outs: string[] = [];
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) {
      throw tooLarge('zip_too_many_entries', `${archiveName} holds more than ${MAX_ZIP_ENTRIES} entries.`);
    }
    const entries = await readEntries(zip);

    // Pass 1: the whole directory is checked before anything is written.
    const wanted: yauzl.Entry[] = [];
    let declared = 0;
    for (const entry of entries) {
      const name = entry.fileName;
      if (isUnsafeEntryName(name)) {
        throw badRequest('zip_unsafe_path', `${archiveName} holds an entry that leaves its folder: ${name}`);
      }
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) throw badRequest('zip_unsafe_path', `${archiveName} holds a symbolic link: ${name}`);
      if (name.endsWith('/')) {
        skipped.push({ archive: archiveName, name, reason: 'folder' });
        continue;
      }
      const size = entry.uncompressedSize;
      const reason = isJunk(name) ? 'system_file' : options.skip?.(name);
      if (!reason) {
        declared += size;
        if (declared > maxTotalBytes) {
          throw tooLarge('zip_too_large', `${archiveName} unpacks to more than ${maxTotalBytes} bytes.`);
        }
      }
      // Entries left unread are checked too: an archive that holds a bomb is hostile as a whole.
      if (size > maxEntryBytes) {
        throw tooLarge(
          'zip_entry_too_large',
          `${name} in ${archiveName} unpacks to ${size} bytes; one file may have at most ${maxEntryBytes}.`,
        );
      }
      if (size > RATIO_FLOOR_BYTES && size > MAX_COMPRESSION_RATIO * Math.max(entry.compressedSize, 1)) {
        throw tooLarge(
          'zip_compression_ratio',
          `${name} in ${archiveName} is compressed more than ${MAX_COMPRESSION_RATIO}:1, as zip bombs are; refused.`,
        );
      }
      if (reason) {
        skipped.push({ archive: archiveName, name, reason });
        continue;
      }
      wanted.push(entry);
    }
    const archiveBytes = (await fs.promises.stat(archive)).size;
    if (declared > RATIO_FLOOR_BYTES && declared > MAX_COMPRESSION_RATIO * archiveBytes) {
      throw tooLarge(
        'zip_compression_ratio',
        `${archiveName} unpacks to more than ${MAX_COMPRESSION_RATIO} times its size, as zip bombs do; refused.`,
      );
    }

    // Pass 2: extract, counting bytes against the declared sizes and the total.
    let written = 0;
    for (const entry of wanted) {
      const out = path.join(outDir, `z${files.length}`);
      outs.push(out);
      const stream = await new Promise<NodeJS.ReadableStream>((res, rej) =>
        zip.openReadStream(entry, (err, s) => (err ? rej(err) : res(s!))),
      );
      let seen = 0;
      const counter = byteCounter((n) => {
        seen += n;
        written += n;
        if (seen > entry.uncompressedSize) {
          return badRequest('zip_corrupt', `${entry.fileName} in ${archiveName} is larger than its header says.`);
        }
        if (written > maxTotalBytes) {
          return tooLarge('zip_too_large', `${archiveName} unpacks to more than ${maxTotalBytes} bytes.`);
        }
        return undefined;
      });
      await pipeline(stream, counter, fs.createWriteStream(out));
      files.push({ name: entry.fileName, file: out });
    }
    return { files, skipped, bytes: written };
  } catch (err) {
    // Nothing of a refused archive stays behind, not even a partial file.
    await Promise.all(outs.map((f) => fs.promises.rm(f, { force: true })));
    throw mapZipError(err, archiveName);
  } finally {
    zip.close();
  }
}

function mapZipError(err: unknown, archiveName: string): AppError {
  if (err instanceof AppError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/invalid relative path|absolute path/i.test(message)) {
    return badRequest('zip_unsafe_path', `${archiveName} holds an entry that leaves its folder.`);
  }
  return badRequest('zip_corrupt', `${archiveName} is not a readable zip archive: ${message}`);
}
