// The interface in English and Simplified Chinese: a link's `lang=zh` opens it in Chinese, the
// top bar's toggle switches at run time and the link follows, a Chinese browser gets Chinese by
// default, and no English word of the app's own text table is left in the main views.
//
// The English words come from tests/e2e/i18n-en.json, which a native test (`cargo test`,
// i18n::tests) regenerates from the table and fails on when it is stale. Words the Chinese column
// keeps (leader, follower, candidate, Raft, Lamport ...) are not in it. The checks read text, never
// glyph pixels, so they pass without a CJK font.

import { readFileSync } from 'node:fs';
import { test, expect, openLab, api, labState, leaderIds, seekTo, screenshot } from './helpers.mjs';

const ENGLISH = new Set(JSON.parse(readFileSync(new URL('../i18n-en.json', import.meta.url), 'utf8')));

/** A Raft run with a leader crash at 1 s, the metrics, diagram and history open. */
const RUN = '/?v=1&p=raft&n=5&seed=7&c=3&t=0&panel=metrics&panel=diagram&panel=history';

/**
 * The app's own text in the main views (the engine's texts that stay English are left out:
 * event-log lines, node roles, fault descriptions, witness explanations, timeline markers'
 * descriptions, option and bug identifiers and their sentences).
 */
async function appText(page) {
  return page.evaluate(() => {
    const parts = [
      'header.topbar', '.tools', '.controls', '[data-testid=settings-panel]', '#inv-title',
      '.inspector', '.acceptors thead', '.log-grid h2', '.log-grid thead', '.log-grid .legend',
      '.event-log h2', '.metrics-summary th', '.metrics-chart', '.recovery caption', '.recovery thead',
      '.diagram-bar', '.diagram-hover', '#history-title', '.history .legend', '.story h2',
      '.story thead', '.story .legend', '.tradeoff', '[data-testid=help-overlay]',
    ];
    const skip = '.ident, .inspector dl';
    const texts = [];
    for (const sel of parts) {
      for (const el of document.querySelectorAll(sel)) {
        const copy = el.cloneNode(true);
        copy.querySelectorAll(skip).forEach((e) => e.remove());
        texts.push(copy.textContent);
        for (const a of el.querySelectorAll('[aria-label], [title]')) {
          // Engine texts: timeline markers' descriptions, options' and planted bugs' sentences.
          if (a.matches('.marker, label:has(.ident)')) continue;
          texts.push(a.getAttribute('aria-label') || '', a.getAttribute('title') || '');
        }
      }
    }
    return texts.join('\n');
  });
}

/**
 * The words of `text` that belong to the English column of the app's table. Hyphenated words are
 * option identifiers the Chinese texts quote (`snapshot-interval`), not English prose.
 */
function englishWords(text) {
  const words = text.replace(/[A-Za-z]+(?:-[A-Za-z]+)+/g, ' ').match(/[A-Za-z]{3,}/g) || [];
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => ENGLISH.has(w)))];
}

test('a link with lang=zh opens the Chinese interface', async ({ page }) => {
  await openLab(page, '/?sc=first_election&lang=zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await expect(page.getByTestId('play-toggle')).toHaveText('▶ 播放');
  await expect(page.getByTestId('lang-toggle')).toHaveText('English');
  await expect(page.getByTestId('lang-toggle')).toHaveAttribute('aria-label', '切换为英文界面');
  await expect(page.getByTestId('scenario-watch')).toContainText('每个节点都以 follower 开始');
  await expect(page.getByTestId('scenario-select').locator('option:checked')).toHaveText('首次选举');
  expect(await api(page, 'link')).toContain('lang=zh');
});

test('the toggle switches the language at run time and the link keeps it', async ({ page }) => {
  await openLab(page, '/?sc=first_election');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('lang-toggle')).toHaveText('中文');
  await expect(page.getByTestId('lang-toggle')).toHaveAttribute('aria-label', 'Switch the language to Chinese');
  expect(await api(page, 'link')).not.toContain('lang=');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveText('▶ 播放');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  expect(await api(page, 'link')).toContain('lang=zh');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('lang=zh');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveText('▶ Play');
  expect(await api(page, 'link')).not.toContain('lang=');
});

test('no English word of the app is left in the Chinese main views', async ({ page }) => {
  await openLab(page, `${RUN}&lang=zh`);
  await seekTo(page, 1_000_000);
  const [leader] = leaderIds(await labState(page));
  if (leader) await api(page, 'crash', leader);
  await seekTo(page, 2_000_000);
  await page.getByTestId('settings-button').click();
  await expect(page.getByTestId('settings-panel')).toBeVisible();
  const shown = await appText(page);
  expect(shown).toContain('设置');
  expect(englishWords(shown), 'English words in the Chinese views').toEqual([]);
  await page.getByTestId('help-button').click();
  const help = await appText(page);
  expect(help).toContain('键盘');
  expect(englishWords(help), 'English words in the Chinese help').toEqual([]);
});

test('screenshots of the Chinese interface, dark and light', async ({ page }) => {
  await openLab(page, `/?sc=partitioned_leader_cannot_commit&lang=zh&panel=metrics`);
  await seekTo(page, 3_000_000);
  await page.getByTestId('settings-button').click();
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await screenshot(page, 'i18n-zh-dark');
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.waitForTimeout(200);
  await screenshot(page, 'i18n-zh-light');
});

test.describe('in a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });

  test('the interface defaults to Chinese, and lang=en still opens English', async ({ page }) => {
    await openLab(page, '/');
    await expect(page.getByTestId('play-toggle')).toHaveText('▶ 播放');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await openLab(page, '/?sc=first_election&lang=en');
    await expect(page.getByTestId('play-toggle')).toHaveText('▶ Play');
  });
});
