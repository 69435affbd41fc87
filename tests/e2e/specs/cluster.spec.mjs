// Elections, and faults injected by clicking on the canvas and the toolbar.

import {
  test,
  expect,
  openLab,
  api,
  labState,
  leaderIds,
  playFast,
  pauseAndSettle,
  waitForOneLeader,
  laidOutNodes,
  clickCanvas,
  screenshot,
} from './helpers.mjs';

test('a leader is elected', async ({ page }) => {
  await openLab(page, '/');
  const before = await labState(page);
  expect(leaderIds(before), 'no leader before anything ran').toEqual([]);
  await api(page, 'play');
  await api(page, 'speed', 1);
  const leader = await waitForOneLeader(page);
  const state = await labState(page);
  expect(state.nodes.map((n) => n.id)).toContain(leader);
  expect(state.playing).toBe(true);
});

test('crashing the leader by clicking it elects a different leader', async ({ page }) => {
  await openLab(page, '/');
  await playFast(page);
  const leader = await waitForOneLeader(page);
  await pauseAndSettle(page);

  const node = (await laidOutNodes(page)).find((n) => n.id === leader);
  await clickCanvas(page, node.x, node.y);
  await expect(page.getByTestId('node-menu')).toBeVisible();
  await expect(page.getByTestId('inspector')).toBeVisible();
  await screenshot(page, 'node-menu');
  await page.getByTestId('node-action-crash').click();
  await expect
    .poll(async () => (await labState(page)).nodes.find((n) => n.id === leader).up, {
      message: `node ${leader} is down after the crash`,
    })
    .toBe(false);

  await playFast(page);
  const next = await waitForOneLeader(page, { not: leader });
  expect(next).not.toBe(leader);
  expect((await labState(page)).nodes.find((n) => n.id === leader).up).toBe(false);
});

test('dropping a message by clicking it removes it and logs the drop', async ({ page }) => {
  await openLab(page, '/');
  await playFast(page);
  await waitForOneLeader(page);
  await pauseAndSettle(page);
  const nodes = await laidOutNodes(page);

  // Step until a message is in flight away from every node (so the click lands on the message).
  let target = null;
  for (let i = 0; i < 400 && !target; i++) {
    const state = await labState(page);
    for (const message of state.messages ?? []) {
      const at = await api(page, 'messagePosition', message.id);
      if (!at) continue;
      const clear = nodes.every((n) => Math.hypot(n.x - at.x, n.y - at.y) > 40);
      if (clear) {
        target = { id: message.id, ...at };
        break;
      }
    }
    if (!target) await api(page, 'step');
  }
  expect(target, 'a message in flight, clear of the nodes').not.toBeNull();

  const log = page.getByTestId('event-log');
  const dropLines = async () => ((await log.innerText()).match(/\bdrop/gi) ?? []).length;
  const dropsBefore = await dropLines();

  await clickCanvas(page, target.x, target.y);
  await expect(page.getByTestId('message-menu')).toBeVisible();
  await screenshot(page, 'message-menu');
  await page.getByTestId('message-action-drop').click();

  await expect
    .poll(async () => ((await labState(page)).messages ?? []).map((m) => m.id), {
      message: `message ${target.id} is gone from state().messages`,
    })
    .not.toContain(target.id);
  await expect.poll(dropLines, { message: 'a drop line in the event log' }).toBeGreaterThan(dropsBefore);
});

test('partition and heal through the toolbar', async ({ page }) => {
  await openLab(page, '/');
  await playFast(page);
  await waitForOneLeader(page);
  await pauseAndSettle(page);
  const nodes = await laidOutNodes(page);
  const picked = [nodes[0], nodes[1]];

  await page.getByTestId('tool-partition').click();
  for (const n of picked) await clickCanvas(page, n.x, n.y);
  await page.getByTestId('apply-partition').click();

  const sorted = (groups) => groups.map((g) => [...g].map(Number).sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
  await expect
    .poll(async () => ((await labState(page)).groups ?? []).length, { message: 'two groups after the partition' })
    .toBe(2);
  const groups = sorted((await labState(page)).groups);
  const ids = picked.map((n) => n.id).sort((a, b) => a - b);
  expect(groups, 'the picked nodes against the rest').toContainEqual(ids);
  expect(groups.flat().sort((a, b) => a - b)).toEqual(nodes.map((n) => n.id).sort((a, b) => a - b));
  await screenshot(page, 'partitioned');

  await page.getByTestId('heal').click();
  await expect
    .poll(async () => ((await labState(page)).groups ?? []).length, { message: 'one group after heal' })
    .toBe(1);
  expect(sorted((await labState(page)).groups)[0]).toEqual(nodes.map((n) => n.id).sort((a, b) => a - b));
});
