// Time travel and share links: the world's digest depends only on the seed, the interventions and
// the time, however that time was reached.

import {
  test,
  expect,
  openLab,
  api,
  labState,
  runUntil,
  pauseAndSettle,
  waitForLab,
  linkPath,
} from './helpers.mjs';

/** Seeks to `t` and waits until the state shows it; returns the state. */
async function seekTo(page, t) {
  await api(page, 'seek', t);
  await expect.poll(async () => (await labState(page)).t, { message: `t after seek(${t})` }).toBe(t);
  return labState(page);
}

test('seeking back and forth keeps the digest', async ({ page }) => {
  await openLab(page, '/');
  const s1 = await runUntil(page, 400_000);
  const s2 = await runUntil(page, s1.t + 700_000);
  expect(s2.t).toBeGreaterThan(s1.t);
  expect(s2.hash, 'the world changed between t1 and t2').not.toBe(s1.hash);
  const display = page.getByTestId('time-display');
  const shown2 = await display.innerText();

  expect((await seekTo(page, s1.t)).hash, `hash at t1=${s1.t} after seeking back`).toBe(s1.hash);
  await expect(display).not.toHaveText(shown2);
  expect((await seekTo(page, s2.t)).hash, `hash at t2=${s2.t} after seeking forward`).toBe(s2.hash);
  await expect(display).toHaveText(shown2);
  expect((await seekTo(page, s1.t)).hash, 'hash at t1 again').toBe(s1.hash);
  expect((await seekTo(page, s2.t)).hash, 'hash at t2 again').toBe(s2.hash);
});

test('the timeline slider seeks, and agrees with seek()', async ({ page }) => {
  await openLab(page, '/');
  const end = await runUntil(page, 1_000_000);
  const slider = page.getByTestId('timeline');
  await expect(slider).toBeVisible();

  // Keyboard: Home goes to the start.
  await slider.focus();
  await slider.press('Home');
  await expect
    .poll(async () => (await labState(page)).t, { message: 't after Home on the timeline' })
    .toBeLessThan(end.t);
  const start = await pauseAndSettle(page);

  // Fill: the middle of the slider's range lands strictly between start and end.
  const [min, max] = await slider.evaluate((el) => [Number(el.min || 0), Number(el.max || 100)]);
  await slider.fill(String(Math.round((min + max) / 2)));
  await expect
    .poll(async () => (await labState(page)).t, { message: 't after moving the timeline to its middle' })
    .toBeGreaterThan(start.t);
  const middle = await pauseAndSettle(page);
  expect(middle.t).toBeLessThan(end.t);

  // Keyboard: ArrowRight moves forward.
  await slider.press('ArrowRight');
  await expect
    .poll(async () => (await labState(page)).t, { message: 't after ArrowRight on the timeline' })
    .toBeGreaterThan(middle.t);

  // The states the slider reached are the ones seek() reaches.
  expect((await seekTo(page, end.t)).hash).toBe(end.hash);
  expect((await seekTo(page, middle.t)).hash, `hash at t=${middle.t} via slider vs seek()`).toBe(middle.hash);
  expect((await seekTo(page, start.t)).hash, `hash at t=${start.t} via slider vs seek()`).toBe(start.hash);
});

test('a share link opened in a fresh page gives the same state', async ({ page, context }) => {
  await openLab(page, '/');
  await runUntil(page, 300_000);
  await api(page, 'crash', 2);
  await runUntil(page, 700_000);
  await api(page, 'partition', [[1, 3], [4, 5, 2]]);
  await runUntil(page, 1_100_000);
  await api(page, 'heal');
  await api(page, 'restart', 2);
  const here = await runUntil(page, 1_600_000);
  expect(here.nodes.find((n) => n.id === 2).up).toBe(true);

  const link = await api(page, 'link');
  expect(typeof link, 'quorumLab.link() returns text').toBe('string');
  expect(link).toMatch(/v=1/);
  expect(link, 'the link records the interventions').toMatch(/iv=/);

  const fresh = await context.newPage();
  const errors = [];
  fresh.on('pageerror', (err) => errors.push(err.message));
  await fresh.goto(linkPath(link));
  await waitForLab(fresh);
  await expect
    .poll(async () => (await labState(fresh)).t, { message: 't in the page opened from the link' })
    .toBe(here.t);
  const there = await labState(fresh);
  expect(there.hash, 'hash in the page opened from the link').toBe(here.hash);
  expect(there.seed).toBe(here.seed);
  expect(there.nodes.map((n) => [n.id, n.up, n.role])).toEqual(here.nodes.map((n) => [n.id, n.up, n.role]));
  expect(errors).toEqual([]);
  await fresh.close();
});
