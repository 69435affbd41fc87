// The fault-recovery views: primary-backup failover, two-phase commit's blocking window, recovery
// blocks, Raft's snapshots; and loading any protocol's scenario from the menu, in the same page.

import { test, expect, openLab, waitForLab, api, labState, screenshot } from './helpers.mjs';

/** Seeks to `t` and waits until the state shows it. */
async function seekTo(page, t) {
  await api(page, 'seek', t);
  await expect.poll(async () => (await labState(page)).t, { message: `t after seek(${t})` }).toBe(t);
  return labState(page);
}

/** The story table's rows, as arrays of cell texts. */
async function storyRows(page) {
  const rows = page.locator('[data-testid=story] tbody tr');
  return rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
}

test('the scenario menu loads a scenario of another protocol in the same page, and back', async ({ page }) => {
  await openLab(page, '/');
  await page.getByTestId('scenario-select').selectOption('twopc_commit');
  await expect.poll(async () => (await labState(page)).protocol).toBe('2pc');
  await expect(page.locator('.brand')).toContainText('Two-phase commit');

  await page.getByTestId('scenario-select').selectOption('first_election');
  await expect.poll(async () => (await labState(page)).protocol).toBe('raft');
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
});

test('primary-backup: the failover timeline shows detection, promotion and catch-up', async ({ page }) => {
  await openLab(page, '/?sc=pb_primary_fails_backup_takes_over');
  expect((await labState(page)).protocol).toBe('primary-backup');
  const before = await seekTo(page, 200_000);
  expect(before.nodes.filter((n) => n.role === 'primary').map((n) => n.id)).toEqual([1]);

  const after = await seekTo(page, 700_000);
  const primaries = after.nodes.filter((n) => n.up && n.role === 'primary');
  expect(primaries.length, 'one new primary').toBe(1);
  expect(primaries[0].id).not.toBe(1);
  expect(after.nodes[0].up).toBe(false);
  await expect(page.getByTestId('story')).toContainText('Failover timeline');
  const rows = await storyRows(page);
  const epoch2 = rows.find((r) => r[0] === '2');
  expect(epoch2, `rows: ${JSON.stringify(rows)}`).toBeTruthy();
  expect(epoch2[2]).toMatch(/^n1 crashed at/);
  for (const cell of epoch2.slice(3)) expect(cell).toMatch(/ms$/);
  expect(after.violations).toEqual([]);
  await screenshot(page, 'primary-backup-failover');
});

test('2PC: participants are blocked while the coordinator is down, and recover when it returns', async ({
  page,
}) => {
  await openLab(page, '/?sc=twopc_coordinator_crash_blocks');
  const blocked = await seekTo(page, 500_000);
  expect(blocked.nodes[0].up).toBe(false);
  expect(blocked.nodes.filter((n) => n.role === 'blocked').map((n) => n.id)).toEqual([2, 3]);
  await expect(page.locator('[data-testid=story] td.alarm').first()).toContainText('BLOCKED');
  await screenshot(page, '2pc-blocked');

  const back = await seekTo(page, 640_000); // restarted at 625 ms (it crashes again at 660 ms)
  expect(back.nodes[0].up).toBe(true);
  expect(back.nodes.filter((n) => n.role === 'blocked')).toEqual([]);
  const t1 = (await storyRows(page)).find((r) => r[0] === 't1');
  expect(t1[2]).toMatch(/^(commit|abort)( \(presumed\))? at/);
  expect(await page.locator('[data-testid=story] td.alarm').count()).toBe(0);
});

test('recovery blocks: a failed acceptance test, a rollback, and the alternate delivered after a swap', async ({
  page,
}) => {
  await openLab(page, '/?sc=rb_alternate_saves_the_day');
  expect((await labState(page)).protocol).toBe('recovery-block');
  const end = await seekTo(page, 60_000);
  expect(end.violations).toEqual([]);
  const i1 = (await storyRows(page)).find((r) => r[0] === 'i1');
  expect(i1[1]).toContain('n1: primary ✗ → rollback');
  expect(i1[1]).toContain('n2: alternate ✓');
  expect(i1[2]).toContain('took over from n1');
  expect(end.nodes.find((n) => n.id === 2).role).toBe('primary');
  await screenshot(page, 'recovery-block');

  // The planted bug turns an invariant red.
  await openLab(page, '/?sc=rb_bug_skip_acceptance_test');
  await seekTo(page, 60_000);
  await expect(page.getByTestId('invariants')).toContainText('✗');
});

test('Raft snapshots: a lagging follower catches up by InstallSnapshot; intervals compared', async ({ page }) => {
  await openLab(page, '/?sc=raft_snapshot_lagging_follower');
  const link = await api(page, 'link');
  expect(link).toContain('snapshot-interval.4');
  // Somewhere in the recording an InstallSnapshot is in flight.
  let seen = false;
  for (let t = 100_000; t <= 2_000_000 && !seen; t += 20_000) {
    const s = await seekTo(page, t);
    seen = s.messages.some((m) => /snap/i.test(m.label));
  }
  expect(seen, 'an InstallSnapshot message on the canvas').toBe(true);
  await expect(page.locator('[data-testid=log-grid] td.cell.snap').first()).toBeVisible();
  await expect(page.getByTestId('story')).toContainText('Checkpoints');

  await page.getByTestId('compare-intervals').click();
  const table = page.getByTestId('tradeoff-table');
  await expect(table).toBeVisible();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  expect(rows.map((r) => r[0])).toEqual(['8', '16', '32', '64', '128', 'off']);
  expect(Number(rows[0][1]), 'interval 8 takes snapshots').toBeGreaterThan(0);
  expect(rows[5][1], 'off takes none').toBe('0');
  await screenshot(page, 'raft-snapshots');

  // Changing the interval restarts the run with it, and the link carries it.
  await page.getByTestId('snapshot-interval').fill('16');
  await page.getByTestId('snapshot-interval').dispatchEvent('change');
  await expect.poll(async () => api(page, 'link')).toContain('snapshot-interval.16');
});

test('an embed link of an old page opens on the one page and stays in embed mode', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await page.goto('/2pc.html?embed=1&sc=twopc_coordinator_crash_blocks');
  await page.waitForURL(/\/index\.html\?embed=1&/);
  await waitForLab(page);
  expect((await labState(page)).protocol).toBe('2pc');
  await expect(page.locator('.app.embed')).toBeVisible();
  await expect(page.getByTestId('play-toggle')).toBeInViewport();
  const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  expect(size[0]).toBeLessThanOrEqual(800);
  expect(size[1]).toBeLessThanOrEqual(500);
});
