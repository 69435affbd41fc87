// How the browser tests and the frame-time probe launch Chromium: Debian's system browser, never a
// downloaded one, with the flags that keep it from reaching for hosts this machine cannot reach
// (see shared/TOOLCHAIN.md). `QUORUM_CHROMIUM` overrides the path.

export const CHROMIUM_PATH = process.env.QUORUM_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchOptions = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };
