// Shared helpers for the browser specs: open the lab, drive `window.quorumLab`, read its state,
// find things on the canvas, and save screenshots for people to look at.

import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where full-page screenshots of the main views go (looked at by a human after a run). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * `test` with one automatic check: no uncaught exception (a Rust panic, a JS error) happened in the
 * page during the test.
 */
export const test = base.extend({
  pageErrors: [
    async ({ page }, use) => {
      const errors = [];
      page.on('pageerror', (err) => errors.push(String(err && err.stack ? err.stack : err)));
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens `path` and waits until the app is up: `window.quorumLab` exists and the canvas shows. */
export async function openLab(page, path = '/') {
  await page.goto(path);
  await waitForLab(page);
}

/** Waits for the app in `page` (or a frame) to be ready. */
export async function waitForLab(pageOrFrame) {
  await pageOrFrame.waitForFunction(
    () => window.quorumLab && typeof window.quorumLab.state === 'function',
    null,
    { timeout: 20_000 },
  );
  await expect(pageOrFrame.locator('[data-testid=lab-canvas]')).toBeVisible();
}

/** `window.quorumLab.state()`, as a plain object (the app may hand back JSON text). */
export async function labState(pageOrFrame) {
  const state = await pageOrFrame.evaluate(() => {
    const s = window.quorumLab.state();
    return typeof s === 'string' ? JSON.parse(s) : s;
  });
  if (!state || typeof state !== 'object' || !('t' in state) || !Array.isArray(state.nodes)) {
    throw new Error(`quorumLab.state() returned ${JSON.stringify(state)}: want an object with t and nodes[]`);
  }
  return state;
}

/** Calls `window.quorumLab[verb](...args)` in the page and returns its (serializable) result. */
export async function api(pageOrFrame, verb, ...args) {
  return pageOrFrame.evaluate(
    ([name, params]) => {
      const lab = window.quorumLab;
      if (!lab || typeof lab[name] !== 'function') {
        throw new Error(`window.quorumLab.${name} is not a function`);
      }
      const result = lab[name](...params);
      return result === undefined ? null : result;
    },
    [verb, args],
  );
}

/** The ids of the nodes that are up and call themselves leader. */
export function leaderIds(state) {
  return state.nodes
    .filter((n) => n.up !== false && String(n.role).toLowerCase() === 'leader')
    .map((n) => n.id);
}

/** Plays at simulated speed `speed` (1 = real time, so an election takes a fraction of a second). */
export async function playFast(page, speed = 1) {
  await api(page, 'speed', speed);
  await api(page, 'play');
}

/** Pauses and waits until simulated time stands still; returns the state then. */
export async function pauseAndSettle(page) {
  await api(page, 'pause');
  let last = await labState(page);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(60);
    const now = await labState(page);
    if (now.t === last.t && now.hash === last.hash) return now;
    last = now;
  }
  throw new Error(`simulated time keeps moving after pause() (t=${last.t})`);
}

/**
 * Polls the state until exactly one live node is leader (and, with `not`, that it is not node
 * `not`); returns that leader's id.
 */
export async function waitForOneLeader(page, { not, timeout = 20_000 } = {}) {
  let seen = [];
  await expect
    .poll(
      async () => {
        seen = leaderIds(await labState(page));
        return seen.length === 1 && seen[0] !== not;
      },
      {
        message: `exactly one leader${not !== undefined ? ` other than node ${not}` : ''}`,
        timeout,
      },
    )
    .toBe(true);
  return seen[0];
}

/** Seeks to `t` (µs) and waits until the state shows it. */
export async function seekTo(page, t) {
  await api(page, 'seek', t);
  await expect.poll(async () => (await labState(page)).t, { message: `t after seek(${t})` }).toBe(t);
}

/** Plays until simulated time reaches `t` microseconds, then pauses; returns the state. */
export async function runUntil(page, t, { speed = 1, timeout = 20_000 } = {}) {
  await playFast(page, speed);
  await expect
    .poll(async () => (await labState(page)).t >= t, { message: `simulated time reaches ${t} µs`, timeout })
    .toBe(true);
  return pauseAndSettle(page);
}

/** The nodes, once the canvas has been laid out (every node has a position on the canvas). */
export async function laidOutNodes(page) {
  let nodes = [];
  await expect
    .poll(
      async () => {
        nodes = (await labState(page)).nodes;
        return nodes.length > 0 && nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y) && (n.x > 0 || n.y > 0));
      },
      { message: 'every node in state().nodes has a canvas position (x, y)' },
    )
    .toBe(true);
  return nodes;
}

/** Clicks the canvas at (x, y) in CSS pixels relative to the canvas element. */
export async function clickCanvas(page, x, y) {
  await page.getByTestId('lab-canvas').click({ position: { x, y } });
}

/** Moves focus away from any control, so key presses reach the app's global shortcuts. */
export async function focusBody(page) {
  await page.evaluate(() => {
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  });
}

/** Waits until the app has drawn its first canvas frame, plus two more animation frames. */
export async function waitForFirstFrame(page) {
  await page.waitForFunction(() => typeof window.quorumLabFirstFrameMs === 'number', null, { timeout: 20_000 });
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/** Waits for the next animation frame in the page. */
export async function nextFrame(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
}

/** Saves a full-page screenshot as artifacts/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** A share link as the app gives it (full URL, `/?...`, `?...` or bare query) as a path to open. */
export function linkPath(link) {
  const text = String(link).trim();
  if (/^https?:\/\//.test(text)) {
    const url = new URL(text);
    return url.pathname + url.search;
  }
  if (text.startsWith('/')) return text;
  if (text.startsWith('?')) return `/${text}`;
  return `/?${text}`;
}
