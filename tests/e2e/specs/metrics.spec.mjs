// The metrics panel: a leader crash shows in the summary (availability under 100%), in the
// recovery table and on the chart; clicking the chart's fault marker moves the timeline there;
// going back in time measures again; a link keeps the panel open.

import { test, expect, openLab, api, labState, leaderIds, runUntil, screenshot, seekTo } from './helpers.mjs';

/** 5 Raft nodes, 3 clients, paused at 0. */
const RUN = '/?v=1&p=raft&n=5&seed=7&c=3&t=0';

/** Opens the run with the metrics panel, crashes the leader at 1 s and plays to 2.5 s. */
async function crashTheLeader(page) {
  await openLab(page, RUN);
  await page.getByTestId('metrics-toggle').click();
  await expect(page.getByTestId('metrics')).toBeVisible();
  await expect(page.getByTestId('metrics-toggle')).toHaveAttribute('aria-pressed', 'true');
  await seekTo(page, 1_000_000);
  const [leader] = leaderIds(await labState(page));
  expect(leader, 'a leader by 1 s').toBeTruthy();
  await api(page, 'crash', leader);
  const crashedAt = (await labState(page)).t;
  await runUntil(page, 2_500_000);
  return { leader, crashedAt };
}

/** The availability the summary shows, in percent. */
async function availability(page) {
  const text = await page.getByTestId('metrics-availability').textContent();
  const value = Number.parseFloat(text);
  expect(Number.isFinite(value), `availability text "${text}"`).toBe(true);
  return value;
}

/**
 * The chart's canvas: how many pixels differ from its background (top-left pixel), and the x (CSS
 * px) of each run of pixels along the marker row `y` (CSS px) that look like `rgb`.
 */
async function chartPixels(page, { y, rgb }) {
  return page.getByTestId('metrics-chart').evaluate(
    (canvas, { y, rgb }) => {
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const at = (i) => [data[i], data[i + 1], data[i + 2]];
      const far = (a, b) => Math.max(...a.map((v, k) => Math.abs(v - b[k])));
      const bg = at(0);
      let drawn = 0;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (far(at(i), bg) > 24) {
          drawn += 1;
          if (colours.size < 64) colours.add(at(i).join());
        }
      }
      const row = Math.round(y * ratio);
      const runs = [];
      let start = null;
      for (let x = 0; x <= canvas.width; x++) {
        const hit = x < canvas.width && far(at((row * canvas.width + x) * 4), rgb) < 40;
        if (hit && start === null) start = x;
        if (!hit && start !== null) {
          runs.push((start + x - 1) / 2 / ratio);
          start = null;
        }
      }
      return { drawn, colours: colours.size, size: canvas.width * canvas.height, markers: runs };
    },
    { y, rgb },
  );
}

/** The `--bad` colour of the page's theme as [r, g, b]. */
async function badColour(page) {
  return page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.color = 'var(--bad)';
    document.body.append(probe);
    const rgb = getComputedStyle(probe).color.match(/\d+/g).slice(0, 3).map(Number);
    probe.remove();
    return rgb;
  });
}

test('a leader crash shows in the summary, the recovery table and the chart', async ({ page }) => {
  const { leader } = await crashTheLeader(page);
  expect(await availability(page)).toBeLessThan(100);
  await expect(page.getByTestId('metrics-operations')).toContainText(/[1-9]\d* ok/);
  await expect(page.getByTestId('metrics-latency')).toContainText('ms');
  const rows = page.getByTestId('metrics-fault');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`crash n${leader} (leader)`);
  await expect(rows.first().locator('.seg')).not.toHaveCount(0);
  // The new leader was elected and clients were served again within 1.5 s: every column has a time.
  await expect(rows.first().locator('td.num').last()).toContainText(/\d+ m?s$/);

  const pixels = await chartPixels(page, { y: 4, rgb: await badColour(page) });
  expect(pixels.drawn, `chart pixels drawn (of ${pixels.size})`).toBeGreaterThan(0.03 * pixels.size);
  expect(pixels.colours, 'colours on the chart').toBeGreaterThanOrEqual(4);
  expect(pixels.markers.length, `fault markers on the chart: ${JSON.stringify(pixels.markers)}`).toBe(1);
  await screenshot(page, 'metrics');
});

test('clicking the fault marker on the chart moves the timeline to the fault', async ({ page }) => {
  const { crashedAt } = await crashTheLeader(page);
  const pixels = await chartPixels(page, { y: 4, rgb: await badColour(page) });
  expect(pixels.markers.length, 'one fault marker').toBe(1);
  await page.getByTestId('metrics-chart').click({ position: { x: pixels.markers[0], y: 4 } });
  await expect.poll(async () => (await labState(page)).t, { message: 't after clicking the marker' }).toBe(crashedAt);

  // Anywhere else on the chart: the time under the pointer (here the right half of the run).
  const box = await page.getByTestId('metrics-chart').boundingBox();
  await page.getByTestId('metrics-chart').click({ position: { x: box.width * 0.8, y: box.height / 2 } });
  await expect
    .poll(async () => (await labState(page)).t, { message: 't after clicking the chart at 80%' })
    .toBeGreaterThan(crashedAt + 300_000);
});

test('going back before the crash measures again from the start', async ({ page }) => {
  await crashTheLeader(page);
  const after = await availability(page);
  await seekTo(page, 800_000);
  await expect(page.getByTestId('metrics-fault')).toHaveCount(0);
  await expect(page.getByTestId('metrics-no-faults')).toBeVisible();
  await expect.poll(() => availability(page)).toBeGreaterThan(after);
  await page.getByTestId('metrics-toggle').click();
  await expect(page.getByTestId('metrics')).toHaveCount(0);
});

test('a link copied with the panel open opens it', async ({ page }) => {
  await crashTheLeader(page);
  const link = await api(page, 'link');
  expect(link).toContain('panel=metrics');
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByTestId('metrics')).toBeVisible();
  await expect(page.getByTestId('metrics-fault')).toHaveCount(1);
  expect(await availability(page)).toBeLessThan(100);
});
