// The page loads cleanly, draws the cluster, and its main views look right (screenshots saved).

import {
  test,
  expect,
  openLab,
  labState,
  playFast,
  pauseAndSettle,
  waitForFirstFrame,
  waitForOneLeader,
  screenshot,
} from './helpers.mjs';

/** Counts canvas pixels that differ from the top-left (background) pixel. */
async function drawnPixels(page) {
  return page.getByTestId('lab-canvas').evaluate((canvas) => {
    const { width, height } = canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx || width === 0 || height === 0) return { width, height, drawn: 0, colors: 0 };
    const data = ctx.getImageData(0, 0, width, height).data;
    const bg = [data[0], data[1], data[2], data[3]];
    let drawn = 0;
    const colors = new Set();
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.max(
        Math.abs(data[i] - bg[0]),
        Math.abs(data[i + 1] - bg[1]),
        Math.abs(data[i + 2] - bg[2]),
        Math.abs(data[i + 3] - bg[3]),
      );
      if (d > 24) {
        drawn += 1;
        if (colors.size < 64) colors.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
    }
    return { width, height, drawn, colors: colors.size, dataUrlLength: canvas.toDataURL().length };
  });
}

test('loads without console errors and draws the cluster on the canvas', async ({ page }) => {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));

  await openLab(page, '/');
  await waitForFirstFrame(page);
  const state = await labState(page);
  expect(state.nodes.length, 'nodes in the default cluster').toBeGreaterThanOrEqual(3);

  const pixels = await drawnPixels(page);
  expect(pixels.width * pixels.height, 'canvas backing store size').toBeGreaterThan(10_000);
  // Nodes, labels and links: at least a few thousand pixels in several colours.
  expect(pixels.drawn, `pixels drawn (of ${pixels.width}x${pixels.height})`).toBeGreaterThan(
    Math.max(2_000, 0.002 * pixels.width * pixels.height),
  );
  expect(pixels.colors, 'distinct colours drawn').toBeGreaterThanOrEqual(3);

  // Run a little, so the first election's messages are drawn too, then look again.
  await playFast(page);
  await waitForOneLeader(page);
  await pauseAndSettle(page);
  await expect(page.locator('[data-testid=error-overlay]')).toBeHidden();
  await screenshot(page, 'main');
  expect(problems, 'console errors and uncaught exceptions').toEqual([]);
});

test('the invariant panel lists the checkers, all holding in a fault-free run', async ({ page }) => {
  await openLab(page, '/');
  await expect(page.getByTestId('invariants')).toBeVisible();
  await playFast(page);
  await waitForOneLeader(page);
  await pauseAndSettle(page);
  const checkers = page.locator('[data-testid^="invariant-"]');
  const statuses = await checkers.evaluateAll((els) =>
    els.map((el) => [el.getAttribute('data-testid'), el.getAttribute('data-status')]),
  );
  expect(statuses.length, 'invariant-NAME elements').toBeGreaterThanOrEqual(5);
  const names = statuses.map(([id]) => id);
  expect(names).toContain('invariant-ElectionSafety');
  for (const [id, status] of statuses) expect(status, `${id} data-status`).toBe('ok');
  expect((await labState(page)).violations ?? []).toEqual([]);
});

test('dark and light themes differ, and the theme toggle switches them', async ({ page }) => {
  const background = () =>
    page.evaluate(() => {
      const body = getComputedStyle(document.body).backgroundColor;
      const html = getComputedStyle(document.documentElement).backgroundColor;
      return body === 'rgba(0, 0, 0, 0)' ? html : body;
    });
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/[\d.]+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };

  await page.emulateMedia({ colorScheme: 'dark' });
  await openLab(page, '/');
  await waitForFirstFrame(page);
  const dark = await background();
  expect(luminance(dark), `dark theme background ${dark}`).toBeLessThan(100);
  await screenshot(page, 'theme-dark');

  await page.emulateMedia({ colorScheme: 'light' });
  await openLab(page, '/');
  await waitForFirstFrame(page);
  const light = await background();
  expect(luminance(light), `light theme background ${light}`).toBeGreaterThan(150);
  await screenshot(page, 'theme-light');

  // The toggle overrides the system preference.
  await page.getByTestId('theme-toggle').click();
  await expect.poll(async () => luminance(await background()), { message: 'background after theme toggle' }).toBeLessThan(100);
  await screenshot(page, 'theme-toggled-dark');
});

test('the settings panel opens', async ({ page }) => {
  await openLab(page, '/');
  await page.getByTestId('settings-button').click();
  // The panel (data-testid=settings-panel once the app names it) holds the apply button.
  const panel = page.locator('[data-testid=settings-panel], [data-testid=apply-settings]').first();
  await expect(panel).toBeVisible();
  await screenshot(page, 'settings');
});

test('the embed button gives an iframe snippet for the current state', async ({ page }) => {
  await openLab(page, '/');
  await page.getByTestId('embed-button').click();
  await expect(page.getByTestId('embed-dialog')).toBeVisible();
  const snippet = await page
    .getByTestId('embed-snippet')
    .evaluate((el) => ('value' in el && typeof el.value === 'string' ? el.value : el.textContent));
  expect(snippet).toMatch(/<iframe\b/);
  expect(snippet).toMatch(/embed=1/);
  expect(snippet).toMatch(/v=1/);
  await screenshot(page, 'embed-dialog');
});
