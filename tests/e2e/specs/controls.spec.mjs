// Keyboard shortcuts, the help overlay, and the scenario menu.

import {
  test,
  expect,
  openLab,
  api,
  labState,
  pauseAndSettle,
  focusBody,
  playFast,
  waitForOneLeader,
  screenshot,
  nextFrame,
} from './helpers.mjs';

test('keyboard: Space plays and pauses, ArrowRight steps, ? opens help, Escape closes it', async ({ page }) => {
  await openLab(page, '/');
  await api(page, 'speed', 1);
  await pauseAndSettle(page);
  await focusBody(page);

  await page.keyboard.press('Space');
  await expect.poll(async () => (await labState(page)).playing, { message: 'playing after Space' }).toBe(true);
  await page.keyboard.press('Space');
  await expect.poll(async () => (await labState(page)).playing, { message: 'paused after second Space' }).toBe(false);

  const before = await pauseAndSettle(page);
  await page.keyboard.press('ArrowRight');
  await expect
    .poll(async () => {
      const now = await labState(page);
      return now.t !== before.t || now.hash !== before.hash;
    }, { message: 'ArrowRight processes an event' })
    .toBe(true);
  // A few more steps move simulated time forward (several events may share one instant).
  for (let i = 0; i < 10 && (await labState(page)).t === before.t; i++) await page.keyboard.press('ArrowRight');
  const after = await labState(page);
  expect(after.t, 't after ArrowRight').toBeGreaterThan(before.t);
  expect(after.playing).toBe(false);

  const help = page.getByTestId('help-overlay');
  await expect(help).toBeHidden();
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await screenshot(page, 'help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('the play button and step buttons work', async ({ page }) => {
  await openLab(page, '/');
  await pauseAndSettle(page);
  const toggle = page.getByTestId('play-toggle');
  await toggle.click();
  await expect.poll(async () => (await labState(page)).playing).toBe(true);
  await toggle.click();
  await expect.poll(async () => (await labState(page)).playing).toBe(false);

  const before = await pauseAndSettle(page);
  let previous = before;
  let stepped = before;
  for (let i = 0; i < 10 && stepped.t === before.t; i++) {
    previous = stepped;
    await page.getByTestId('step').click();
    await nextFrame(page);
    stepped = await labState(page);
  }
  expect(stepped.t, 't after clicking step').toBeGreaterThan(before.t);
  await page.getByTestId('step-back').click();
  await expect
    .poll(async () => (await labState(page)).t, { message: 'step-back goes back in time' })
    .toBeLessThan(stepped.t);
  const back = await labState(page);
  expect(back.t, 'step-back lands no later than where the last step started').toBeLessThanOrEqual(previous.t);
  expect(back.playing).toBe(false);
  // Stepping again from there replays the same event.
  await page.getByTestId('step').click();
  await expect.poll(async () => (await labState(page)).hash, { message: 'step after step-back redoes the event' }).toBe(stepped.hash);
});

test('the scenario menu loads a scenario, says what to watch for, and plays it', async ({ page }) => {
  await openLab(page, '/');
  const select = page.getByTestId('scenario-select');
  await select.selectOption('first_election');
  const watch = page.getByTestId('scenario-watch');
  await expect(watch).toBeVisible();
  await expect(watch).toContainText(/leader/i);
  expect((await watch.innerText()).length, 'a whole sentence to watch for').toBeGreaterThan(30);
  await expect.poll(async () => (await labState(page)).scenario).toBe('first_election');
  await screenshot(page, 'scenario');

  await playFast(page);
  await waitForOneLeader(page);
});

test('a planted-bug scenario turns its invariant red', async ({ page }) => {
  await openLab(page, '/');
  await page.getByTestId('scenario-select').selectOption('bug_forget_vote');
  await expect(page.getByTestId('scenario-watch')).toContainText(/ElectionSafety/);
  await playFast(page, 2);
  const checker = page.getByTestId('invariant-ElectionSafety');
  await expect(checker).toHaveAttribute('data-status', 'violated', { timeout: 20_000 });
  const violations = (await labState(page)).violations ?? [];
  expect(violations.map((v) => v.invariant)).toContain('ElectionSafety');
  await screenshot(page, 'violation');
});
