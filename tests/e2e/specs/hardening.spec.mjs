// Hardening (issue 14.4): every page carries a strict Content-Security-Policy and runs without a
// violation; 1,000 random malformed API calls, postMessage requests and links leave the app
// working, each request answered once, and no uncaught error (the `test` fixture checks that).

import { test, expect, openLab, labState, api } from './helpers.mjs';

/** A small seeded generator, so a failure names a seed that replays it. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const VERBS = ['state', 'load', 'play', 'pause', 'step', 'seek', 'crash', 'restart', 'partition', 'heal',
  'request', 'link', 'scenario', '__proto__', 'constructor', 'toString', 'explode', '', 'crash '];

/** Argument values no verb accepts as they are (never a large valid time: a seek must stay cheap). */
function junk(next) {
  const pool = [
    () => -1, () => NaN, () => Infinity, () => -Infinity, () => 1.5, () => 2 ** 53 + 2, () => '3', () => '',
    () => 'crash', () => ({}), () => [], () => [[1], [2, 99]], () => [[1, 1]], () => null, () => true,
    () => 'x'.repeat(5_000), () => ({ verb: 'crash', args: [1] }), () => 'put 1', () => 'cas 1 2',
    () => 'get', () => 'delete 1', () => '\u0000\uffff', () => -0,
    () => `v=1&p=raft&n=${Math.floor(next() * 40) - 10}`, () => 'v=2&p=raft', () => 'p=nope&v=1',
    () => `v=1&p=raft&iv=${'9'.repeat(30)}.0.c1`, () => 'v=1&p=raft&t=-5', () => '?%%%&&==',
  ];
  return pool[Math.floor(next() * pool.length)]();
}

function randomCall(next) {
  const verb = VERBS[Math.floor(next() * VERBS.length)];
  const args = Array.from({ length: Math.floor(next() * 4) }, () => junk(next));
  return { verb, args };
}

test('every page carries a strict Content-Security-Policy and starts without a violation', async ({ page }) => {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  for (const path of ['/', '/embed-example.html']) {
    const html = await (await page.request.get(path)).text();
    const policy = html.match(/http-equiv="?Content-Security-Policy"? content="([^"]+)"/);
    expect(policy, `${path} has a policy`).not.toBeNull();
    expect(policy[1]).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(policy[1]).not.toContain("'unsafe-eval'");
    expect(html.match(/<script(?![^>]*src=)[^>]*>[^<]+<\/script>/), `${path} has no inline script`).toBeNull();
  }
  await openLab(page, '/?v=1&p=raft&n=5&seed=1&c=1&t=0');
  await api(page, 'seek', 400_000);
  expect((await labState(page)).t).toBe(400_000);
  await page.goto('/embed-example.html');
  await expect(page.getByTestId('parent-status')).toHaveText('Ready', { timeout: 20_000 });
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
});

test('1,000 random malformed calls, requests and links leave the app working', async ({ page }) => {
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|Uncaught|RuntimeError/.test(m.text())) consoleErrors.push(m.text());
  });
  await openLab(page, '/?v=1&p=raft&n=5&seed=3&c=1&t=0');
  const seed = 20261205;
  const next = rng(seed);
  const calls = Array.from({ length: 1_000 }, () => randomCall(next));
  const direct = calls.slice(0, 600);
  const posted = calls.slice(600);
  const outcome = await page.evaluate(async ({ direct, posted }) => {
    let thrown = 0;
    for (const { verb, args } of direct) {
      const f = window.quorumLab[verb];
      if (typeof f !== 'function') continue;
      try {
        f.apply(window.quorumLab, args);
      } catch (e) {
        if (!(e instanceof Error)) throw new Error(`${verb} threw a non-Error: ${String(e)}`);
        thrown += 1;
      }
    }
    const replies = new Map();
    const listener = (e) => {
      if (e.data && e.data.type === 'quorumLab:reply') replies.set(e.data.id, (replies.get(e.data.id) || 0) + 1);
    };
    window.addEventListener('message', listener);
    posted.forEach(({ verb, args }, i) => window.postMessage({ type: 'quorumLab', id: i, verb, args }, '*'));
    window.postMessage({ type: 'other', id: -1, verb: 'crash', args: [1] }, '*');
    window.postMessage('not an object', '*');
    const deadline = Date.now() + 10_000;
    while (replies.size < posted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    window.removeEventListener('message', listener);
    window.quorumLab.pause();
    return { thrown, replies: [...replies.values()], ignoredAnswered: replies.has(-1) };
  }, { direct, posted });
  expect(outcome.thrown, `seed ${seed}: most direct calls are refused with an Error`).toBeGreaterThan(100);
  expect(outcome.replies.length, `seed ${seed}: every request is answered`).toBe(posted.length);
  expect(outcome.replies.every((n) => n === 1), `seed ${seed}: each exactly once`).toBe(true);
  expect(outcome.ignoredAnswered, 'a message of another type is ignored').toBe(false);
  await api(page, 'load', 'v=1&p=raft&n=5&seed=3&c=1&t=0');
  await api(page, 'seek', 300_000);
  const state = await labState(page);
  expect(state.t).toBe(300_000);
  expect(state.nodes).toHaveLength(5);
  await expect(page.getByTestId('lab-canvas')).toBeVisible();
  expect(consoleErrors, `seed ${seed}`).toEqual([]);
});
