// The space-time diagram and the history view: the diagram draws arrows, a click on an event moves
// the timeline to that event's time, the filters change what is drawn, it survives going back in
// time, a link keeps it open; a planted bug's linearizability violation is explained in red in
// the history view. Screenshots in both themes for a person to look at.

import { test, expect, openLab, api, labState, runUntil, focusBody, nextFrame, ARTIFACTS } from './helpers.mjs';

/** 5 Raft nodes, 3 clients, paused at 0. */
const RUN = '/?v=1&p=raft&n=5&seed=7&c=3&t=0';

/** Seeks to `t` (µs) and waits until the state shows it. */
async function seekTo(page, t) {
  await api(page, 'seek', t);
  await expect.poll(async () => (await labState(page)).t, { message: `t after seek(${t})` }).toBe(t);
}

/** Opens `path` with the diagram shown and waits until it is drawn. */
async function openDiagram(page, path = RUN) {
  await openLab(page, path);
  await page.getByTestId('diagram-toggle').click();
  await expect(page.getByTestId('diagram')).toBeVisible();
  await expect(page.getByTestId('diagram-toggle')).toHaveAttribute('aria-pressed', 'true');
}

/**
 * The diagram canvas: how many pixels differ from its background (top-left pixel), and how many
 * look like `rgb` (within 40 per channel).
 */
async function diagramPixels(page, rgb = [0, 0, 0]) {
  await nextFrame(page);
  await nextFrame(page);
  return page.getByTestId('diagram-canvas').evaluate((canvas, rgb) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const far = (i, b) => Math.max(Math.abs(data[i] - b[0]), Math.abs(data[i + 1] - b[1]), Math.abs(data[i + 2] - b[2]));
    const bg = [data[0], data[1], data[2]];
    let drawn = 0;
    let like = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (far(i, bg) > 24) drawn += 1;
      if (far(i, rgb) < 40) like += 1;
    }
    return { drawn, like };
  }, rgb);
}

/** A CSS custom property of the page's theme as [r, g, b]. */
async function themeColour(page, name) {
  return page.evaluate((name) => {
    const probe = document.createElement('div');
    probe.style.color = `var(${name})`;
    document.body.append(probe);
    const rgb = getComputedStyle(probe).color.match(/\d+/g).slice(0, 3).map(Number);
    probe.remove();
    return rgb;
  }, name);
}

/**
 * Points at the client lanes of the diagram (the last `clients` of `lanes`, spread over the canvas
 * past its 58 px time axis and 12 px right margin) from the top down until the hover line names
 * a client operation; returns that position in canvas CSS px and the hover text.
 */
async function findClientEvent(page, lanes, clients) {
  const canvas = page.getByTestId('diagram-canvas');
  const box = await canvas.boundingBox();
  const gap = (box.width - 58 - 12) / lanes;
  for (let lane = lanes - clients; lane < lanes; lane++) {
    const x = 58 + gap * (lane + 0.5);
    for (let y = 40; y < box.height - 10; y += 3) {
      // The line keeps its words when the pointer is on nothing: empty it first.
      await page.getByTestId('diagram-hover').evaluate((el) => (el.textContent = '-'));
      await page.mouse.move(box.x + x, box.y + y);
      const words = await page.getByTestId('diagram-hover').textContent();
      if (/^c\d+ .* · from c\d+ op\d+$/.test(words)) return { at: { x, y }, words };
    }
  }
  return null;
}

test('the diagram draws the run: arrows for messages, and a link keeps it open', async ({ page }) => {
  await openDiagram(page);
  const { t: shown } = await runUntil(page, 800_000);
  const grey = await themeColour(page, '--msg-heartbeat');
  const pixels = await diagramPixels(page, grey);
  expect(pixels.drawn, 'the diagram draws something').toBeGreaterThan(2_000);
  expect(pixels.like, 'protocol messages are drawn as grey arrows').toBeGreaterThan(200);
  await expect(page.getByTestId('diagram-lane')).toHaveCount(8);
  const types = await page.getByTestId('diagram-type').evaluateAll((els) => els.map((e) => e.dataset.type));
  expect(types).toContain('AppendEntries');
  const link = await api(page, 'link');
  expect(String(link)).toContain('panel=diagram');
  await openLab(page, `/?${String(link).replace(/^.*\?/, '')}`);
  await expect(page.getByTestId('diagram')).toBeVisible();
  expect((await labState(page)).t).toBe(shown);
});

test('a click on a diagram event moves the timeline to its time and highlights its request', async ({ page }) => {
  await openDiagram(page);
  await runUntil(page, 800_000);
  const found = await findClientEvent(page, 8, 3);
  expect(found, 'a client operation is drawn on a client lane').not.toBeNull();
  const { at, words } = found;
  const before = (await labState(page)).t;
  const box = await page.getByTestId('diagram-canvas').boundingBox();
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await expect.poll(async () => (await labState(page)).t, { message: 'state().t after the click' }).toBeLessThan(before);
  const t = (await labState(page)).t;
  const said = words.match(/at (\d+(?:\.\d+)?) (ms|s)/);
  expect(said, `hover text "${words}" names a time`).not.toBeNull();
  const micros = Math.round(Number(said[1]) * (said[2] === 's' ? 1e6 : 1e3));
  expect(Math.abs(t - micros), `moved to ${t} µs, the event said ${words}`).toBeLessThanOrEqual(1_000);
  await page.mouse.move(box.x + 2, box.y + 2);
  await seekTo(page, t + 60_000);
  const lit = await diagramPixels(page, await themeColour(page, '--select'));
  expect(lit.like, "the request's chain is drawn in the highlight colour").toBeGreaterThan(20);
});

test('the filters change what the diagram draws', async ({ page }) => {
  await openDiagram(page);
  await runUntil(page, 800_000);
  const grey = await themeColour(page, '--msg-heartbeat');
  const all = await diagramPixels(page, grey);
  await page.locator('[data-testid=diagram-type][data-type=AppendEntries]').click();
  await expect(page.locator('[data-testid=diagram-type][data-type=AppendEntries]')).toHaveAttribute('aria-pressed', 'false');
  const fewer = await diagramPixels(page, grey);
  expect(fewer.like, 'hiding AppendEntries removes grey arrows').toBeLessThan(all.like * 0.8);
  await page.locator('[data-testid=diagram-lane][data-lane=n3]').click();
  const lanes = await diagramPixels(page, grey);
  expect(lanes.drawn, 'hiding a lane draws less').toBeLessThan(fewer.drawn);
  await page.getByTestId('diagram-causal').click();
  await expect(page.getByTestId('diagram-causal')).toHaveAttribute('aria-pressed', 'true');
  const causal = await diagramPixels(page, grey);
  expect(causal.drawn, 'the causal layout draws').toBeGreaterThan(1_000);
});

test('the diagram survives going back in time and follows the present', async ({ page }) => {
  await openDiagram(page);
  await runUntil(page, 1_500_000);
  await seekTo(page, 300_000);
  const back = await diagramPixels(page);
  expect(back.drawn).toBeGreaterThan(1_000);
  await runUntil(page, 900_000);
  const again = await diagramPixels(page);
  expect(again.drawn).toBeGreaterThan(1_000);
  await focusBody(page);
  await page.keyboard.press('d');
  await expect(page.getByTestId('diagram')).toHaveCount(0);
  await page.keyboard.press('d');
  await expect(page.getByTestId('diagram')).toBeVisible();
});

test('a planted bug shows its linearizability violation explained in the history view', async ({ page }) => {
  await openLab(page, '/?sc=rb_bug_ack_by_count');
  await page.getByTestId('history-toggle').click();
  await expect(page.getByTestId('history')).toBeVisible();
  await expect(page.getByTestId('history-explanation')).toHaveCount(0);
  await api(page, 'seek', 10_000_000);
  await expect(page.getByTestId('history-explanation')).toContainText('no order of the operations explains it', { timeout: 15_000 });
  const bad = await themeColour(page, '--bad');
  const border = await page.getByTestId('history-explanation').evaluate((el) => getComputedStyle(el).borderLeftColor);
  expect(border.match(/\d+/g).slice(0, 3).map(Number)).toEqual(bad);
  const blocked = page.locator('[data-testid=history-op][data-verdict=blocked]');
  await expect(blocked).toHaveCount(1);
  const colour = await blocked.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(colour.match(/\d+/g).slice(0, 3).map(Number)).toEqual(bad);
  // The read that saw the old value cannot come after the write either: red too.
  await expect(page.locator('[data-testid=history-op][data-verdict=cannot]')).toHaveCount(1);
  await expect(page.getByTestId('history-explanation')).toContainText('places 0 of its 2 operations');
  const invariant = page.getByTestId('invariants');
  if (await invariant.count()) await expect(invariant).toContainText(/Lineariz/i);
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const round of [0, 1]) {
    if (round) await page.getByTestId('theme-toggle').click();
    await page.getByTestId('history').scrollIntoViewIfNeeded();
    const theme = await page.evaluate(() => document.documentElement.dataset.theme || 'dark');
    await page.screenshot({ path: `${ARTIFACTS}history-${theme}.png` });
  }
  await page.getByTestId('diagram-toggle').click();
  await blocked.click();
  const t = (await labState(page)).t;
  expect(t, 'a click on an operation moves to its invoke').toBeLessThan(10_000_000);
  await seekTo(page, t + 60_000);
  const lit = await diagramPixels(page, await themeColour(page, '--select'));
  expect(lit.like, "the operation's chain is highlighted in the diagram").toBeGreaterThan(20);
});

test('screenshots of the diagram in both themes', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openLab(page, '/?v=1&p=raft&n=5&seed=7&c=3&t=0&panel=diagram');
  await expect(page.getByTestId('diagram')).toBeVisible();
  await seekTo(page, 1_000_000);
  const [leader] = (await labState(page)).nodes.filter((n) => String(n.role).toLowerCase() === 'leader').map((n) => n.id);
  expect(leader).toBeTruthy();
  await api(page, 'crash', leader);
  await runUntil(page, 1_150_000);
  const others = [1, 2, 3, 4, 5].filter((n) => n !== leader);
  await api(page, 'partition', [others.slice(0, 2), others.slice(2)]);
  await runUntil(page, 1_300_000);
  for (const round of [0, 1]) {
    if (round) await page.getByTestId('theme-toggle').click();
    await nextFrame(page);
    expect((await diagramPixels(page)).drawn).toBeGreaterThan(2_000);
    const theme = await page.evaluate(() => document.documentElement.dataset.theme || 'dark');
    await page.screenshot({ path: `${ARTIFACTS}diagram-${theme}.png` });
  }
});
