// One page runs every protocol: switching protocols from the settings, loading scenarios and links
// of any protocol never reloads the page or fetches the wasm again; old page names redirect.

import { test, expect, openLab, waitForLab, api, labState, screenshot } from './helpers.mjs';

const PROTOCOLS = ['raft', 'paxos', 'multi-paxos', 'primary-backup', '2pc', 'recovery-block'];

/** How often the page was loaded, and how often a `.wasm` file was fetched, so far. */
async function loads(page) {
  return page.evaluate(() => ({
    navigations: performance.getEntriesByType('navigation').length,
    wasm: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length,
  }));
}

/** Picks `protocol` in the settings panel (opening it unless it is open) and applies it. */
async function switchTo(page, protocol) {
  if (!(await page.getByTestId('protocol-select').isVisible())) {
    await page.getByTestId('settings-button').click();
  }
  await page.getByTestId('protocol-select').selectOption(protocol);
  await page.getByTestId('apply-settings').click();
  await expect.poll(async () => (await labState(page)).protocol, { message: `switch to ${protocol}` }).toBe(protocol);
}

test('switching between all six protocols stays in one page with one wasm download', async ({ page }) => {
  await openLab(page, '/');
  const marker = await page.evaluate(() => (window.__quorumOnePage = Math.random()));
  const before = await loads(page);
  expect(before).toEqual({ navigations: 1, wasm: 1 });
  for (const protocol of [...PROTOCOLS.slice(1), 'raft']) {
    await switchTo(page, protocol);
    await api(page, 'seek', 1_500_000);
    const state = await labState(page);
    expect(state.nodes.length, protocol).toBeGreaterThanOrEqual(2);
    expect(state.t, protocol).toBe(1_500_000);
  }
  expect(await loads(page)).toEqual(before);
  // The same JavaScript realm all along: a reload would have lost the marker.
  expect(await page.evaluate(() => window.__quorumOnePage)).toBe(marker);
});

test('the JS API loads links of every protocol in the same page', async ({ page }) => {
  await openLab(page, '/');
  for (const protocol of PROTOCOLS) {
    await api(page, 'load', `v=1&p=${protocol}&n=3&seed=4&c=1&t=800000`);
    await expect.poll(async () => (await labState(page)).protocol, { message: protocol }).toBe(protocol);
    expect((await labState(page)).t).toBe(800_000);
  }
  expect(await loads(page)).toEqual({ navigations: 1, wasm: 1 });
  await screenshot(page, 'onepage-recovery-block');
});

test('old page names of the site redirect to the one page with the link intact', async ({ page }) => {
  for (const [old, protocol] of [
    ['paxos', 'multi-paxos'],
    ['primary-backup', 'primary-backup'],
    ['recovery-block', 'recovery-block'],
    ['2pc', '2pc'],
  ]) {
    await page.goto(`/${old}.html?v=1&p=${protocol}&n=3&seed=2&c=1&t=300000`);
    await page.waitForURL(new RegExp(`/index\\.html\\?v=1&p=${protocol}&`));
    await waitForLab(page);
    const state = await labState(page);
    expect(state.protocol).toBe(protocol);
    expect(state.t).toBe(300_000);
  }
});
