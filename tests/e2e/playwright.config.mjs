// Playwright configuration for Quorum Lab's browser tests.
//
// The built site (dist/, from `cargo xtask dist`) is served by serve.mjs on 127.0.0.1, on
// QUORUM_E2E_PORT (default 8123; `cargo xtask test` picks a free one). Set QUORUM_BASE_URL to test
// a server that is already running instead; then no server is started. Chromium is Debian's
// (/usr/bin/chromium): browsers are never downloaded.

import { defineConfig } from '@playwright/test';
import { launchOptions } from './chromium.mjs';

const port = Number(process.env.QUORUM_E2E_PORT || 8123);
const external = process.env.QUORUM_BASE_URL;
const baseURL = (external || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
// The specs read the same variable, so they and Playwright agree on the site.
process.env.QUORUM_BASE_URL = baseURL;

export default defineConfig({
  testDir: 'specs',
  outputDir: 'artifacts/results',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 800 },
    // English by default: the app takes its language from navigator.language when a link has none.
    locale: 'en-US',
    launchOptions,
  },
  webServer: external
    ? undefined
    : {
        command: `node serve.mjs ../../dist ${port}`,
        url: `${baseURL}/`,
        reuseExistingServer: false,
        timeout: 20_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
});
