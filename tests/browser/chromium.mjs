// The headless Chromium the browser checks drive: the Debian package's binary (or $CHROMIUM), a
// fresh profile per run, nothing that talks to the network in the background (the machine's network
// is closed), and the window size the screenshots are taken at.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Launches Chromium on the profile directory `profile`; every launch step may take `timeout` ms. */
export function launchChromium(profile, timeout) {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    timeout,
  });
}

/** A check step that failed for a reason the check names; its message is the whole report. */
export class StepFailed extends Error {}

/**
 * Runs `check(page, session)` in a fresh headless Chromium and ends the process the way every browser
 * check does: ONE JSON line of `result` on stdout and exit 0; or exit 1 with the reason (and the
 * partial result) on stderr, each line prefixed with `name`. `session.step` says what the check is
 * doing, for those messages; `result.console_errors` collects the page's console errors.
 */
export async function runCheck(name, timeout, result, check) {
  const session = { step: 'launching Chromium' };
  // A fresh profile each run, and no background traffic: the machine's network is closed.
  const profile = mkdtempSync(path.join(tmpdir(), 'inflight-chromium-'));
  // Every wait in a check has its own timeout; this is the last resort should the browser itself stop
  // answering. (Playwright kills the Chromium it launched when this process exits.)
  const watchdog = setTimeout(() => {
    console.error(`${name}: gave up after ${5 * timeout} ms in total, while ${session.step}`);
    rmSync(profile, { recursive: true, force: true });
    process.exit(1);
  }, 5 * timeout);
  watchdog.unref();
  let context;
  let exitCode = 0;
  try {
    context = await launchChromium(profile, timeout);
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('console', (msg) => { if (msg.type() === 'error') result.console_errors.push(msg.text()); });
    await check(page, session);
  } catch (e) {
    exitCode = 1;
    const reason = e instanceof StepFailed ? e.message : `unexpected failure while ${session.step}: ${e.stack || e}`;
    console.error(`${name}: ${reason}`);
    console.error(`${name}: partial result: ${JSON.stringify(result)}`);
  } finally {
    session.step = 'closing Chromium';
    if (context) await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  if (exitCode === 0) process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(exitCode);
}
