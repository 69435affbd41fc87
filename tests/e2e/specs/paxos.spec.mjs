// The Paxos views: the protocol switcher, ballots on the canvas and in the acceptors' table, a value
// chosen, duelling proposers, an acceptor crash, and the Multi-Paxos slot grid with its no-ops.

import { test, expect, openLab, waitForLab, api, labState, linkPath, screenshot } from './helpers.mjs';

/** Seeks to `t` (synchronously, in the page) and returns the state there. */
async function stateAt(page, t) {
  await api(page, 'seek', t);
  await expect.poll(async () => (await labState(page)).t, { message: `t after seek(${t})` }).toBe(t);
  return labState(page);
}

/** The labels of the messages in flight. */
const labels = (state) => state.messages.map((m) => String(m.label));

/** Counts the slot cells of the log grid in a state (`committed`, `pending` or `noop`). */
const cells = (page, kind) => page.locator(`[data-testid=log-grid] td.cell.${kind}`).count();

test('the protocol switcher runs Paxos in the same page and keeps it in the share link', async ({ page }) => {
  await openLab(page, '/');
  await page.getByTestId('settings-button').click();
  await page.getByTestId('protocol-select').selectOption('paxos');
  await page.getByTestId('apply-settings').click();
  await expect.poll(async () => (await labState(page)).protocol).toBe('paxos');
  await expect(page.locator('.brand')).toContainText('Paxos');
  await expect(page.getByTestId('acceptor-table')).toBeVisible();
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);

  const invariants = page.locator('.invariants');
  for (const name of ['Agreement', 'Validity', 'PromiseMonotonic']) {
    await expect(invariants).toContainText(name);
  }
  const link = await api(page, 'link');
  expect(link).toContain('p=paxos');
  await openLab(page, linkPath(link));
  expect((await labState(page)).protocol).toBe('paxos');

  // An old link of the Paxos page (the site had one page per protocol family) still opens.
  await page.goto(`/paxos.html?${link.split('?').pop()}`);
  await page.waitForURL(/\/index\.html\?v=1&p=paxos/);
  await waitForLab(page);
  expect((await labState(page)).protocol).toBe('paxos');
  // The old page's own address, with no link, opens its protocol too (not the default Raft).
  for (const [old, protocol] of [['paxos', 'paxos'], ['2pc', '2pc']]) {
    await page.goto(`/${old}.html`);
    await page.waitForURL(new RegExp(`/index\\.html\\?v=1&p=${protocol}`));
    await waitForLab(page);
    expect((await labState(page)).protocol).toBe(protocol);
  }

  // And back to Raft, in the same page.
  await page.getByTestId('settings-button').click();
  await page.getByTestId('protocol-select').selectOption('raft');
  await page.getByTestId('apply-settings').click();
  await expect.poll(async () => (await labState(page)).protocol).toBe('raft');
});

test('a single proposer gets a value chosen: ballots on the messages, then every learner knows it', async ({
  page,
}) => {
  await openLab(page, '/?sc=paxos_single_proposer');
  const phase1 = await stateAt(page, 15_000);
  expect(labels(phase1).filter((l) => l === 'P 1.1').length, `phase 1 messages: ${labels(phase1)}`).toBeGreaterThanOrEqual(3);
  expect(phase1.nodes[0].role).toBe('proposer');
  await expect(page.locator('canvas')).toBeVisible();

  const phase2 = await stateAt(page, 35_000);
  expect(labels(phase2).filter((l) => l === 'A 1.1').length, `phase 2 messages: ${labels(phase2)}`).toBeGreaterThanOrEqual(3);

  const end = await stateAt(page, 110_014);
  expect(end.violations).toEqual([]);
  expect(end.nodes.map((n) => n.log)).toEqual([1, 1, 1, 1, 1]);
  await expect.poll(() => cells(page, 'committed'), { message: 'chosen cells in the grid' }).toBe(5);
  for (const id of [1, 2, 3, 4, 5]) {
    await expect(page.getByTestId(`acceptor-${id}`)).toContainText('1.1');
  }
  await screenshot(page, 'paxos-chosen');
});

test('duelling proposers: ballots keep rising and nothing is chosen until back-off breaks the tie', async ({
  page,
}) => {
  await openLab(page, '/?sc=paxos_duelling_proposers');
  const early = await stateAt(page, 100_000);
  const late = await stateAt(page, 400_000);
  const round = (n) => Math.floor(n.term / 100);
  expect(round(late.nodes[0]), 'node 1 ballot round').toBeGreaterThan(round(early.nodes[0]));
  expect(round(late.nodes[1]), 'node 2 ballot round').toBeGreaterThan(round(early.nodes[1]));
  expect(late.nodes.filter((n) => n.role === 'proposer').length).toBe(2);
  expect(late.nodes.filter((n) => n.role === 'learner'), 'nobody learned a value').toEqual([]);
  expect(await cells(page, 'committed')).toBe(0);
  await expect(page.locator('.event-log')).toContainText('nack');
  await screenshot(page, 'paxos-duel');

  await openLab(page, '/?sc=paxos_duelling_resolved');
  const resolved = await stateAt(page, 500_000);
  expect(resolved.nodes.map((n) => n.log)).toEqual([1, 1, 1]);
  expect(resolved.violations).toEqual([]);
});

test('an acceptor crashes between the phases; a majority chooses, and it learns after restarting', async ({
  page,
}) => {
  await openLab(page, '/?sc=paxos_acceptor_crash_between_phases');
  const down = await stateAt(page, 50_000);
  expect(down.nodes[2].up).toBe(false);
  await expect(page.getByTestId('acceptor-3')).toContainText('crashed');
  expect(down.nodes.filter((n) => n.up && n.log === 1).length, 'value chosen without node 3').toBeGreaterThanOrEqual(3);

  const back = await stateAt(page, 125_000);
  expect(back.nodes[2].up).toBe(true);
  expect(back.nodes[2].log, 'node 3 learned the chosen value').toBe(1);
  await expect(page.getByTestId('acceptor-3')).toContainText('1.1');
  expect(back.violations).toEqual([]);
});

test('Multi-Paxos: a new leader completes a half-done slot and fills the gap with a no-op', async ({ page }) => {
  await openLab(page, '/?sc=multipaxos_leader_change_completes_slot');
  await stateAt(page, 681_332); // the scenario's end (scenarios/catalog.links)
  await expect(page.locator('#grid-title')).toHaveText('Slots');
  await expect.poll(() => cells(page, 'noop'), { message: 'no-op slots in the grid' }).toBeGreaterThan(0);
  expect(await cells(page, 'committed')).toBeGreaterThan(3);
  await screenshot(page, 'multipaxos-slots');
});
