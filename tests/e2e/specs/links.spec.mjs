// Broken links say what is wrong and leave a working lab.

import { test, expect, openLab, labState, playFast, waitForOneLeader } from './helpers.mjs';

const BROKEN = [
  { path: '/?v=1&n=99', why: /node|99/i },
  { path: '/?v=42', why: /version|42/i },
  // The same refusals in the Chinese interface say why in Chinese (no English word but the link's own).
  { path: '/?v=1&n=99&lang=zh', why: /^无法打开这个链接：[^A-Za-z]*99[^A-Za-z]*。✕?$/ },
  { path: '/?v=1&p=raft&n=5&seed=x&lang=zh', why: /^无法打开这个链接：[^A-Za-z]*x[^A-Za-z]*。✕?$/ },
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
