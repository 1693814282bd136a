/**
 * Browser tests run in Debian's Chromium through playwright-core. They are required
 * when SHUGU_TEST_BROWSER is set (to Chromium's path, or `1`), and otherwise skip
 * with a message when no Chromium is installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const requested = process.env.SHUGU_TEST_BROWSER;
export const chromiumPath = requested && requested !== '1' && requested.includes('/') ? requested : '/usr/bin/chromium';
export const browserRequired = Boolean(requested && requested !== '0');
export const hasBrowser = fs.existsSync(chromiumPath);
if (browserRequired && !hasBrowser)
  throw new Error(`SHUGU_TEST_BROWSER is set but there is no Chromium at ${chromiumPath}`);
if (!hasBrowser)
  console.warn(`Browser tests skipped: no Chromium at ${chromiumPath}. Install it with: apt-get install -y chromium`);

export const screenshotDir = path.join(root, 'test-results', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let built: Promise<string> | undefined;
/** Builds the web app once per test file into a temporary folder. */
export function buildWeb(): Promise<string> {
  built ??= (async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shugu-web-'));
    const { build } = await import('vite');
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    return outDir;
  })();
  return built;
}
