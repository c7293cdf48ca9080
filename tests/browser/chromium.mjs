// The headless Chromium the browser checks drive: the Debian package's binary (or $CHROMIUM), a
// fresh profile per run, nothing that talks to the network in the background (the machine's network
// is closed), and the window size the screenshots are taken at.
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
