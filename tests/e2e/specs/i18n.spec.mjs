// The interface in English and Simplified Chinese: a link's `lang=zh` opens it in Chinese, the
// top bar's toggle switches at run time and the link follows, a Chinese browser gets Chinese by
// default, and no English word of the app's text table or of the engine's texts (event log,
// inspector, invariants and violation details, story rows, timeline markers, fault names, the
// linearizability explanation, options' and bugs' tooltips) is left in the main views, nor in
// the classroom's (the Tours and Exercises menus, every step of every tour, every exercise's
// task and a grade), whose Chinese texts name menu scenarios by their Chinese menu titles.
//
// The English words come from tests/e2e/i18n-en.json, which a native test (`cargo test`,
// i18n::tests) regenerates from the app's table and the engine's phrases, words and sentences and
// fails on when it is stale. Words the Chinese keeps (leader, follower, candidate, Raft, Lamport,
// message names ...) are not in it. The checks read text, never glyph pixels, so they pass
// without a CJK font; the canvas's words are checked by the native test.

import { readFileSync } from 'node:fs';
import {
  test, expect, openLab, api, labState, leaderIds, seekTo, screenshot, laidOutNodes, clickCanvas,
} from './helpers.mjs';

const ENGLISH = new Set(JSON.parse(readFileSync(new URL('../i18n-en.json', import.meta.url), 'utf8')));

/** A Raft run with a leader crash at 1 s, the metrics, diagram and history open. */
const RUN = '/?v=1&p=raft&n=5&seed=7&c=3&t=0&panel=metrics&panel=diagram&panel=history';

/**
 * The text of the views `parts` (selectors), with the titles and labels of their elements (option
 * and bug identifiers, `.ident`, are names and left out).
 */
async function appText(page, parts = MAIN_VIEWS, skip = '.ident') {
  return page.evaluate(([parts, skip]) => {
    const texts = [];
    for (const sel of parts) {
      for (const el of document.querySelectorAll(sel)) {
        const copy = el.cloneNode(true);
        copy.querySelectorAll(skip).forEach((e) => e.remove());
        // Neighbouring elements (a row of buttons) are separate words, not one run of letters.
        copy.querySelectorAll('*').forEach((e) => e.after('\n'));
        texts.push(copy.textContent);
        for (const a of el.querySelectorAll('[aria-label], [title]')) {
          texts.push(a.getAttribute('aria-label') || '', a.getAttribute('title') || '');
        }
      }
    }
    return texts.join('\n');
  }, [parts, skip]);
}

/** The main views (the classroom's panels and menus included). */
const MAIN_VIEWS = [
  'header.topbar', '.tools', '.controls', '[data-testid=settings-panel]', '#inv-title',
  '.inspector', '.acceptors', '.log-grid', '.event-log', '.invariants', '.metrics-summary th',
  '.metrics-chart', '.recovery', '.diagram-bar', '.diagram-hover', '.history', '.story',
  '.tradeoff', '.timeline', '[data-testid=help-overlay]', '.class-menu', '.class-panel',
];

/** The classroom's views: the Tours and Exercises buttons and menus, a tour or exercise panel. */
const CLASS_VIEWS = ['.class-menu', '.class-panel'];

/**
 * The words of `text` that belong to the English list. Words joined by `-` or `_` are identifiers
 * (`snapshot-interval`, `pre-candidate`, a message's `last_log_index`), quoted strings are JSON
 * data (a message's entries): the native test's rule. Commands (`cas(2,none,5)`)
 * and log cells (`cas 3 none→c3:1`) stay as they are, and so does the invariant name
 * Linearizability, like every invariant name.
 */
function englishWords(text) {
  const prose = text
    .replace(/"[^"]*"/g, ' ')
    .replace(/[A-Za-z]+(?:[-_][A-Za-z]+)+/g, ' ')
    .replace(/[a-z]+\([^)\s]*\)?|\bcas \S+ \S+/g, ' ')
    .replace(/\bLinearizability\b/g, ' ');
  const words = prose.match(/[A-Za-z]{3,}/g) || [];
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => ENGLISH.has(w)))];
}

/** Where the English words of `text` stand, for a failure's message. */
function around(text) {
  return englishWords(text)
    .map((w) => {
      const at = text.toLowerCase().search(new RegExp(`\\b${w}\\b`));
      return JSON.stringify(text.slice(Math.max(0, at - 40), at + 40));
    })
    .join('; ');
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
  const [node] = await laidOutNodes(page);
  await clickCanvas(page, node.x, node.y);
  await expect(page.locator('.inspector dl')).toBeVisible();
  await page.getByTestId('settings-button').click();
  await expect(page.getByTestId('settings-panel')).toBeVisible();
  const shown = await appText(page);
  expect(shown).toContain('设置');
  expect(englishWords(shown), `English words in the Chinese views: ${around(shown)}`).toEqual([]);
  await page.getByTestId('help-button').click();
  const help = await appText(page);
  expect(help).toContain('键盘');
  expect(englishWords(help), 'English words in the Chinese help').toEqual([]);
});

/** The step number a tour panel shows ("第 2 步，共 6 步"). */
async function tourStep(page) {
  return Number((await page.getByTestId('tour-step').textContent()).match(/\d+/)[0]);
}

/**
 * Checks a Chinese text of the classroom: no English word of the list, and every menu scenario
 * it names (菜单里的场景“…”) is a title the Chinese scenario menu shows.
 */
async function checkClassText(page, what, text) {
  expect(englishWords(text), `English words in ${what}: ${around(text)}`).toEqual([]);
  const menu = await page.getByTestId('scenario-select').locator('option').allTextContents();
  for (const [, name] of text.matchAll(/菜单里的场景“([^”]+)”/g)) {
    expect(menu, `${what} names the menu scenario “${name}”`).toContain(name);
  }
}

test('no English word is left in the Chinese tours, exercises and their menus', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page, '/?lang=zh');
  await page.getByTestId('tours-button').click();
  const tours = page.getByTestId('tour-list').getByRole('menuitem');
  const tourCount = await tours.count();
  expect(tourCount).toBeGreaterThanOrEqual(8);
  await checkClassText(page, 'the tour menu', await appText(page, CLASS_VIEWS));
  await page.getByTestId('exercises-button').click();
  const exercises = page.getByTestId('exercise-list').getByRole('menuitem');
  const exerciseCount = await exercises.count();
  expect(exerciseCount).toBeGreaterThanOrEqual(12);
  await checkClassText(page, 'the exercise menu', await appText(page, CLASS_VIEWS));
  await page.getByTestId('exercises-button').click();

  for (let i = 0; i < tourCount; i++) {
    await page.getByTestId('tours-button').click();
    const item = page.getByTestId('tour-list').getByRole('menuitem').nth(i);
    const title = await item.textContent();
    await item.click();
    await expect(page.getByTestId('tour-panel')).toBeVisible();
    await expect(page.getByTestId('tour-step')).toHaveText(/^第 1 步/);
    for (;;) {
      const k = await tourStep(page);
      await checkClassText(page, `tour “${title}” step ${k}`, await appText(page, CLASS_VIEWS));
      if (await page.getByTestId('tour-next').isDisabled()) break;
      await page.getByTestId('tour-next').click();
      await expect.poll(() => tourStep(page)).toBe(k + 1);
    }
    await page.getByTestId('tour-close').click();
  }

  for (let i = 0; i < exerciseCount; i++) {
    await page.getByTestId('exercises-button').click();
    const item = page.getByTestId('exercise-list').getByRole('menuitem').nth(i);
    const title = await item.textContent();
    await item.click();
    await expect(page.getByTestId('exercise-panel')).toBeVisible();
    // The answers offered are left out here: see the next test.
    const shown = await appText(page, CLASS_VIEWS, '.ident, [data-testid=exercise-choice]');
    await checkClassText(page, `exercise “${title}”`, shown);
    await page.getByTestId('exercise-close').click();
    await expect(page.getByTestId('exercise-panel')).toHaveCount(0);
  }

  await openLab(page, '/?ex=raft-break-forget-vote&lang=zh');
  await page.getByTestId('exercise-check').click();
  await expect(page.getByTestId('exercise-result')).toHaveAttribute('data-pass', 'false');
  await checkClassText(page, 'a graded exercise', await appText(page, CLASS_VIEWS));
  await screenshot(page, 'i18n-zh-exercise');
});

// Known gap (app code, not the data files): a prediction's answers are the trace's values, shown
// as they are (`yes`/`no`, `commit`/`abort`), and its grade repeats them ("不是 commit：运行的结果是
// abort"), where the glossary says 提交 / 中止. A fix-it choice reads `OPTION = VALUE` (an option
// identifier, a name) and an explain choice a message's type and trace fields, which stay. Marked
// as failing until the exercise panel translates the values; it then passes and must be unmarked.
test('the answers a Chinese exercise offers, and their grade, are Chinese', async ({ page }) => {
  test.fail();
  const offered = [];
  for (const ex of ['raft-predict-commit', 'twopc-predict-decision']) {
    await openLab(page, `/?ex=${ex}&lang=zh`);
    await page.getByTestId('exercise-choice').first().click();
    await expect(page.getByTestId('exercise-result')).toBeVisible();
    offered.push(await appText(page, ['[data-testid=exercise-panel] .choices', '[data-testid=exercise-result]']));
  }
  const text = offered.join('\n');
  expect(englishWords(text), `English words in the answers: ${around(text)}`).toEqual([]);
});

/** Built-in scenarios whose end shows violations, story tables, faults and a witness. */
const ENGINE_RUNS = [
  'twopc_coordinator_crash_blocks', 'twopc_bug_commit_despite_no', 'rb_bug_ack_by_count',
  'pb_bug_no_fencing', 'figure8_bug_commits_previous_term', 'multipaxos_bug_skip_recovery',
  'paxos_bug_learner_counts_minority', 'raft_snapshot_restart_recovers',
];

test('the engine\'s texts of planted-bug and recovery runs are Chinese', async ({ page }) => {
  for (const sc of ENGINE_RUNS) {
    await openLab(page, `/?sc=${sc}&lang=zh&panel=metrics&panel=history`);
    await seekTo(page, 8_000_000);
    const [node] = await laidOutNodes(page);
    await clickCanvas(page, node.x, node.y);
    const shown = await appText(page);
    expect(englishWords(shown), `English words in ${sc}: ${around(shown)}`).toEqual([]);
  }
  await screenshot(page, 'i18n-zh-engine');
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
