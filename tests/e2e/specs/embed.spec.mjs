// Embed mode, and driving an embedded lab from its parent page over postMessage.

import { test, expect, openLab, waitForLab, screenshot } from './helpers.mjs';

test('embed mode fits an 800x500 frame', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await openLab(page, '/?embed=1');
  const size = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
  }));
  expect(size.scrollHeight, 'document height in embed mode').toBeLessThanOrEqual(500);
  expect(size.scrollWidth, 'document width in embed mode').toBeLessThanOrEqual(800);

  const canvas = page.getByTestId('lab-canvas');
  await expect(canvas).toBeVisible();
  const box = await canvas.boundingBox();
  expect(box.width * box.height, 'canvas area').toBeGreaterThan(800 * 500 * 0.3);
  expect(box.x + box.width).toBeLessThanOrEqual(800 + 0.5);
  expect(box.y + box.height).toBeLessThanOrEqual(500 + 0.5);
  await expect(page.getByTestId('play-toggle')).toBeVisible();
  await expect(page.getByTestId('play-toggle')).toBeInViewport();
  await screenshot(page, 'embed');
});

/** Every value of node 1's `up` in the state replies shown in #replies (in any order). */
function nodeOneUps(text) {
  const patterns = [/"id":\s*1\s*,[^{}]*?"up":\s*(true|false)/g, /"up":\s*(true|false)\s*,[^{}]*?"id":\s*1\b/g];
  const seen = new Set();
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) seen.add(match[1] === 'true');
  return [...seen].sort();
}

test('postMessage drives an embedded lab', async ({ page }) => {
  await page.goto('/embed-example.html');
  const iframe = page.locator('iframe[data-testid=lab-frame], iframe').first();
  await expect(iframe).toBeVisible();
  const frame = await (await iframe.elementHandle()).contentFrame();
  await waitForLab(frame);

  const replies = page.locator('#replies');
  await page.getByTestId('parent-state').click();
  await expect
    .poll(async () => nodeOneUps(await replies.innerText()), { message: 'a state reply with node 1 up, before the crash' })
    .toEqual([true]);

  await page.getByTestId('parent-crash-1').click();
  await page.getByTestId('parent-state').click();
  await expect
    .poll(async () => nodeOneUps(await replies.innerText()), { message: 'a state reply with node 1 down, after the crash' })
    .toContain(false);
  await expect(replies).toContainText(/"up":\s*false/);

  // The iframe's own state agrees.
  const up = await frame.evaluate(() => {
    const s = window.quorumLab.state();
    const state = typeof s === 'string' ? JSON.parse(s) : s;
    return state.nodes.find((n) => n.id === 1).up;
  });
  expect(up).toBe(false);
  await screenshot(page, 'embed-example');
});

test('the example page opens an embedded exercise and lists its result', async ({ page }) => {
  await page.goto('/embed-example.html');
  await page.getByTestId('parent-exercise').click();
  const frame = page.frameLocator('iframe[data-testid=lab-frame]');
  await expect(frame.getByTestId('exercise-panel')).toBeVisible({ timeout: 20_000 });
  await frame.locator('[data-testid=exercise-choice][data-value=commit]').click();
  const results = page.getByTestId('parent-results');
  await expect(results.locator('li')).toHaveCount(1);
  await expect(results.locator('li').first()).toHaveAttribute('data-pass', 'false');
  await screenshot(page, 'embed-example-exercise');
});
