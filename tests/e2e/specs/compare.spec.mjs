// The compare view (issue 11.4): several protocols side by side on one schedule under one time
// cursor. Opened from the top bar or from a compare link; "Crash leader" hits each run's own
// leader; the metric table gets a fault row per protocol; the first divergence moves the cursor;
// links round-trip to the same worlds; a broken compare link leaves the app usable; seeking back
// replays the same worlds; embed mode shows the lanes.

import { test, expect, api, linkPath, screenshot } from './helpers.mjs';

/** 5 nodes, seed 3, 3 clients: the single lab the compare view starts from. */
const LAB = '/?v=1&p=raft&n=5&seed=3&c=3&t=0';
/** A compare link: the leader crashed at 2 s, everything recovered at 4 s, the cursor at 6 s. */
const LINK = 'v=1&cmp=raft,multi-paxos,primary-backup&n=5&seed=3&c=3&sch=2000000.cL~4000000.live&t=6000000';
const PROTOCOLS = ['raft', 'multi-paxos', 'primary-backup'];

/** `quorumLab.state()` in the compare view. */
async function compareState(page) {
  const s = await page.evaluate(() => window.quorumLab.state());
  if (!s || s.compare !== true || !Array.isArray(s.lanes)) {
    throw new Error(`state() is not the compare view's: ${JSON.stringify(s)}`);
  }
  return s;
}

/** Opens `path` and waits for the compare view's lanes to be drawn. */
async function openCompare(page, path) {
  await page.goto(path);
  await page.waitForFunction(() => window.quorumLab && typeof window.quorumLab.state === 'function');
  await expect(page.getByTestId('compare-canvas-0')).toBeVisible();
  await page.waitForFunction(() => window.quorumLab.state().lanes?.[0]?.nodes?.[0]?.x > 0);
}

/** Seeks every run to `t` and waits until the state shows it. */
async function seekTo(page, t) {
  await api(page, 'seek', t);
  await expect.poll(async () => (await compareState(page)).t).toBe(t);
}

/** The colour drawn at CSS point (x, y) of lane `i`'s canvas. */
async function pixel(page, i, x, y) {
  return page.getByTestId(`compare-canvas-${i}`).evaluate((canvas, [x, y]) => {
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const d = canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
    return [d[0], d[1], d[2]].join();
  }, [x, y]);
}

/** Waits two animation frames (the lanes are redrawn from the new state). */
async function frames(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('the compare view opens from the top bar, crashes each run\'s own leader and tells where outcomes differ', async ({ page }) => {
  await page.goto(LAB);
  await expect(page.getByTestId('lab-canvas')).toBeVisible();
  await page.getByTestId('compare-button').click();
  const dialog = page.getByTestId('compare-dialog');
  await expect(dialog).toBeVisible();
  for (const p of PROTOCOLS) await expect(page.getByTestId(`compare-pick-${p}`)).toBeChecked();
  await page.getByTestId('compare-pick-multi-paxos').uncheck();
  await page.getByTestId('compare-pick-primary-backup').uncheck();
  await expect(page.getByTestId('compare-start')).toBeDisabled();
  await page.getByTestId('compare-pick-multi-paxos').check();
  await page.getByTestId('compare-pick-primary-backup').check();
  await page.getByTestId('compare-start').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('compare-lane')).toHaveCount(3);
  await page.waitForFunction(() => window.quorumLab.state().lanes?.[2]?.nodes?.[0]?.x > 0);
  let s = await compareState(page);
  expect(s.lanes.map((l) => l.protocol)).toEqual(PROTOCOLS);
  expect(await api(page, 'link')).toContain('cmp=raft,multi-paxos,primary-backup&n=5&seed=3&c=3');

  await seekTo(page, 2_000_000);
  await frames(page);
  s = await compareState(page);
  const leaders = s.lanes.map((l) => l.leader);
  expect(leaders.every((n) => Number.isInteger(n)), `leaders at 2 s: ${leaders}`).toBe(true);
  const centres = s.lanes.map((l) => l.nodes.find((n) => n.id === l.leader));
  const before = await Promise.all(centres.map((n, i) => pixel(page, i, n.x, n.y)));
  await page.getByTestId('compare-crash-leader').click();
  const hits = page.getByTestId('compare-hits');
  await expect(hits).toContainText('crash leader:');
  for (const [i, p] of PROTOCOLS.entries()) await expect(hits).toContainText(`${p} n${leaders[i]}`);
  s = await compareState(page);
  for (const [i, lane] of s.lanes.entries()) {
    expect(lane.nodes.find((n) => n.id === leaders[i]).up, `${lane.protocol}'s leader is down`).toBe(false);
  }
  await frames(page);
  const after = await Promise.all(centres.map((n, i) => pixel(page, i, n.x, n.y)));
  for (const i of [0, 1, 2]) expect(after[i], `lane ${i}'s crashed node is drawn differently`).not.toBe(before[i]);

  await seekTo(page, 6_000_000);
  const faults = page.getByTestId('compare-fault');
  await expect(faults).toHaveCount(1);
  await expect(faults.locator('td')).toHaveCount(3);
  for (const td of await faults.locator('td').all()) await expect(td).toContainText(/crash n\d/);
  await expect(page.getByTestId('compare-availability').locator('td')).toHaveCount(3);
  s = await compareState(page);
  expect(s.divergence, 'the runs recover at different speeds').not.toBeNull();
  const divergence = page.getByTestId('compare-divergence');
  await expect(divergence).toContainText('Outcomes first differ at');
  await expect(divergence).toContainText(/served/);
  await divergence.click();
  await expect.poll(async () => (await compareState(page)).t).toBe(s.divergence);
  await expect(divergence, 'the divergence stays known at its own moment').toContainText('Outcomes first differ at');
  const theme = () => page.evaluate(() => getComputedStyle(document.documentElement).colorScheme || document.documentElement.dataset.theme);
  await screenshot(page, `compare-${(await theme()).includes('dark') ? 'dark' : 'light'}`);
  await page.getByTestId('theme-toggle').click();
  await screenshot(page, `compare-${(await theme()).includes('dark') ? 'dark' : 'light'}`);

  await page.getByTestId('compare-close').click();
  await expect(page.getByTestId('lab-canvas')).toBeVisible();
  expect((await api(page, 'state')).protocol).toBe('raft');
});

test('a compare link reopens the same worlds, and Copy link gives it back', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openCompare(page, `/?${LINK}`);
  const s = await compareState(page);
  expect(s.t).toBe(6_000_000);
  expect(s.lanes.map((l) => l.protocol)).toEqual(PROTOCOLS);
  expect(new URL(page.url()).search).toBe(`?${LINK}`);
  await page.getByTestId('copy-link').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(linkPath(copied)).toBe(`/?${LINK}`);
  const again = await page.context().newPage();
  await openCompare(again, linkPath(copied));
  const t = await compareState(again);
  expect(t.hash).toBe(s.hash);
  expect(t.hash.split(',')).toHaveLength(3);
  await again.close();
});

test('seeking back in the compare view replays the same worlds', async ({ page }) => {
  await openCompare(page, `/?${LINK}`);
  const at6 = (await compareState(page)).hash;
  await page.getByTestId('step-back').click();
  await expect.poll(async () => (await compareState(page)).t).toBe(5_990_000);
  await seekTo(page, 1_000_000);
  const early = await compareState(page);
  expect(early.hash).not.toBe(at6);
  for (const lane of early.lanes) expect(lane.nodes.every((n) => n.up), `${lane.protocol} before the crash`).toBe(true);
  await seekTo(page, 3_000_000);
  for (const lane of (await compareState(page)).lanes) {
    expect(lane.nodes.some((n) => !n.up), `${lane.protocol} after the scheduled crash`).toBe(true);
  }
  await seekTo(page, 6_000_000);
  expect((await compareState(page)).hash).toBe(at6);
});

test('a malformed compare link shows an error and the app stays usable', async ({ page }) => {
  await page.goto('/?v=1&cmp=raft,raft&n=5&seed=1&c=1&t=0');
  await expect(page.getByTestId('alert')).toContainText('This compare link cannot be opened');
  await expect(page.getByTestId('alert')).toContainText('named twice');
  await expect(page.getByTestId('lab-canvas')).toBeVisible();
  await page.getByTestId('compare-button').click();
  await page.getByTestId('compare-start').click();
  await expect(page.getByTestId('compare-lane')).toHaveCount(3);
  await page.getByTestId('play-toggle').click();
  await expect.poll(async () => (await compareState(page)).t, { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByTestId('play-toggle').click();
  await expect(api(page, 'load', 'v=1&cmp=raft,paxos&n=5&seed=1&c=1&sch=5.D3&t=0')).rejects.toThrow('one message');
  await expect(page.getByTestId('alert')).toContainText('one message');
  await expect(page.getByTestId('compare-lane')).toHaveCount(3);
});

test('embed mode shows the compare lanes and the transport bar in 800x500', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await openCompare(page, `/?embed=1&${LINK}`);
  await expect(page.getByTestId('compare-lane')).toHaveCount(3);
  await expect(page.getByTestId('play-toggle')).toBeVisible();
  await expect(page.getByTestId('compare-table')).toHaveCount(0);
  const box = await page.getByTestId('compare-canvas-2').boundingBox();
  expect(box.y + box.height, 'the lanes fit in the frame').toBeLessThanOrEqual(500);
  expect(box.height, 'lanes are not squashed').toBeGreaterThan(150);
  expect(new URL(page.url()).search).toBe(`?embed=1&${LINK}`);
  await screenshot(page, 'compare-embed');
});
