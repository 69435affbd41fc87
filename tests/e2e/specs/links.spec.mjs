// Broken links say what is wrong and leave a working lab.

import { test, expect, openLab, labState, playFast, waitForOneLeader } from './helpers.mjs';

const BROKEN = [
  { path: '/?v=1&n=99', why: /node|99/i },
  { path: '/?v=42', why: /version|42/i },
];

for (const { path, why } of BROKEN) {
  test(`a broken link (${path}) shows a clear message and the lab stays usable`, async ({ page }) => {
    await openLab(page, path);
    const alert = page.locator('[role=alert]').filter({ hasText: /\S/ }).first();
    await expect(alert).toBeVisible();
    await expect(alert).toHaveText(why);
    await expect(page.locator('[data-testid=error-overlay]')).toBeHidden();

    const state = await labState(page);
    expect(state.nodes.length).toBeGreaterThanOrEqual(3);
    expect(state.nodes.length).toBeLessThanOrEqual(9);
    await playFast(page);
    await waitForOneLeader(page);
  });
}
