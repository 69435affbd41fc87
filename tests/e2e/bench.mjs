// The browser frame-time probe (`cargo xtask bench` runs it after building the site).
//
//   node tests/e2e/bench.mjs [--dist DIR] [--seconds S] [--loads N]
//
// Serves DIR (default: the workspace's dist/) on a free port, unless QUORUM_BASE_URL names a
// running site, and drives headless Chromium (Debian's, never a downloaded one):
//   1. time to first frame: opens the default page N times (default 3) and reads
//      window.quorumLabFirstFrameMs, set by the app at its first canvas draw (performance.now());
//   2. frame time under load: opens a 9-node Raft run with 20 clients and 0.8-1.2 s latency (about
//      500 messages in flight), plays at speed 0.5 for S seconds (default 5), then reads
//      quorumLab.frameStats() {frames, p50_ms, p95_ms, max_ms, in_flight, refresh_p50_ms,
//      refresh_p95_ms, refresh_max_ms} and state().in_flight; then the same with the metrics panel
//      open (`metrics_*` in the JSON line). A refresh (every 120 ms while playing) is the panels'
//      catch-up: the reducer's view and Yew's render, measured apart from the frame's work;
//   3. a long run for the metrics panel: 5 Raft nodes and 20 clients opened at 60 s (some 8,000
//      operations done), the leader crashed, played at speed 1 for S seconds with the panel closed
//      (`long_*`) and open (`long_metrics_*`);
//   4. the space-time diagram open (`panel=diagram`): on the long run (`long_diagram_*`) and on a
//      10-minute run of 5 nodes and 20 clients (some 460,000 messages, 2 million trace events;
//      `diagram_10min_*`, and the same run with the diagram closed, `long_10min_*`), leader
//      crashed, speed 1;
//   5. the load run of 2. in Chinese (`zh_*`: every canvas label said in Chinese each frame) and a
//      guided tour in Chinese played at speed 1 (`tour_*`: each frame looks for its step's
//      condition in the new trace events);
//   6. the bundle size of DIR: every file raw and gzipped (level 9).
// Prints one JSON line (prefixed `bench-browser: `) and then a table.
// Measurements only: it fails when the page cannot be driven, never because a figure is slow.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { launchOptions } from './chromium.mjs';
import { startServer } from './serve.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const LOAD_PATH = '/?v=1&p=raft&n=9&seed=3&c=20&net=800000-1200000-0-0&t=0';
/** The long run: 60 s of 5 nodes and 20 clients. */
export const LONG_PATH = '/?v=1&p=raft&n=5&seed=3&c=20&t=60000000';
/** The 10-minute run for the space-time diagram: 5 nodes, 20 clients, opened at 600 s. */
export const DIAGRAM_PATH = '/?v=1&p=raft&n=5&seed=3&c=20&t=600000000&panel=diagram';
/** The compare view: three lanes of 5 nodes and 20 clients, each run's leader crashed at 2 s. */
export const COMPARE_PATH = '/?v=1&cmp=raft,multi-paxos,primary-backup&n=5&seed=3&c=20&sch=2000000.cL&t=2000000';
/** The compare view under the load run's settings: three lanes of 9 nodes, slow network. */
/** A guided tour (Raft elections: its first steps move on by themselves) in Chinese. */
export const TOUR_PATH = '/?tour=raft-election&lang=zh';
export const COMPARE_LOAD_PATH = '/?v=1&cmp=raft,multi-paxos,primary-backup&n=9&seed=3&c=20&net=800000-1200000-0-0&t=0';

function parseArgs(argv) {
  const options = { dist: resolve(HERE, '../../dist'), seconds: 5, loads: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--dist') options.dist = resolve(value());
    else if (flag === '--seconds') options.seconds = Number(value());
    else if (flag === '--loads') options.loads = Number(value());
    else {
      console.error(`unknown option ${argv[i]}\nusage: node bench.mjs [--dist DIR] [--seconds S] [--loads N]`);
      process.exit(2);
    }
  }
  if (!(options.seconds > 0) || !(Number.isInteger(options.loads) && options.loads > 0)) {
    console.error('--seconds must be positive and --loads a positive integer');
    process.exit(2);
  }
  return options;
}

/** The size of FILE gzipped as `cargo xtask size` measures it (`gzip -9 -n`), or by zlib at level 9. */
function gzipSize(path, bytes) {
  const out = spawnSync('gzip', ['-9', '-n', '-c', path], { maxBuffer: 1 << 30 });
  if (out.status === 0) return out.stdout.length;
  return gzipSync(bytes, { level: 9 }).length;
}

/** Every file under `dir` with its raw and gzip -9 size, largest gzipped first. */
export function bundleSizes(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        files.push({ file: relative(dir, path), raw: bytes.length, gzip: gzipSize(path, bytes) });
      }
    }
  };
  walk(dir);
  files.sort((a, b) => b.gzip - a.gzip || a.file.localeCompare(b.file));
  const total = (key) => files.reduce((sum, f) => sum + f[key], 0);
  return { files, raw: total('raw'), gzip: total('gzip') };
}

async function state(page) {
  return page.evaluate(() => {
    const s = window.quorumLab.state();
    return typeof s === 'string' ? JSON.parse(s) : s;
  });
}

async function waitForApp(page) {
  await page.waitForFunction(() => window.quorumLab && typeof window.quorumLab.state === 'function', null, {
    timeout: 60_000,
  });
}

/** Time to first frame over `loads` fresh page loads (each in a new context: cold-ish caches). */
async function firstFrames(browser, baseURL, loads) {
  const samples = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${baseURL}/`);
    const handle = await page.waitForFunction(() => window.quorumLabFirstFrameMs, null, { timeout: 30_000 });
    const ms = Number(await handle.jsonValue());
    const nav = await page.evaluate(() => {
      const [entry] = performance.getEntriesByType('navigation');
      return entry ? { dom_content_loaded_ms: entry.domContentLoadedEventEnd, load_ms: entry.loadEventEnd } : {};
    });
    samples.push({ first_frame_ms: ms, ...nav });
    await context.close();
  }
  const sorted = samples.map((s) => s.first_frame_ms).sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], samples };
}

/**
 * Frame times while playing the run of `path` (which may add `&panel=metrics`) at `speed`, after
 * crashing its leader when `crash` is set.
 */
async function underLoad(browser, baseURL, seconds, { path = LOAD_PATH, speed = 0.5, crash = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const opening = Date.now();
  await page.goto(`${baseURL}${path}`);
  await waitForApp(page);
  const open_ms = Date.now() - opening;
  const loaded = await state(page);
  const frameStats = () =>
    page.evaluate(() => {
      const s = window.quorumLab.frameStats();
      return typeof s === 'string' ? JSON.parse(s) : s;
    });
  if (crash) {
    const leader = loaded.nodes.find((n) => n.up && n.role === 'leader');
    if (!leader) throw new Error(`no leader to crash at ${path}`);
    await page.evaluate((id) => window.quorumLab.crash(id), leader.id);
  }
  const before = await frameStats();
  const started = Date.now();
  await page.evaluate((x) => {
    window.quorumLab.play();
    window.quorumLab.speed(x);
  }, speed);
  await page.waitForTimeout(seconds * 1000);
  const stats = await frameStats();
  const wall = (Date.now() - started) / 1000;
  const after = await state(page);
  await context.close();
  if (errors.length) throw new Error(`errors in the page under load:\n${errors.join('\n')}`);
  return {
    seconds,
    open_ms,
    nodes: loaded.nodes?.length ?? loaded.lanes?.[0]?.nodes.length,
    lanes: loaded.lanes?.length ?? 1,
    sim_start_us: loaded.t,
    sim_end_us: after.t,
    state_in_flight: after.in_flight,
    frames: stats.frames,
    frames_while_playing: stats.frames - before.frames,
    fps: (stats.frames - before.frames) / wall,
    p50_ms: stats.p50_ms,
    p95_ms: stats.p95_ms,
    max_ms: stats.max_ms,
    stats_in_flight: stats.in_flight,
    refreshes: stats.refreshes,
    refresh_p50_ms: stats.refresh_p50_ms,
    refresh_p95_ms: stats.refresh_p95_ms,
    refresh_max_ms: stats.refresh_max_ms,
  };
}

function table(rows) {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

const fmt = (ms) => (typeof ms === 'number' && Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : String(ms));
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let server = null;
  let baseURL = process.env.QUORUM_BASE_URL?.replace(/\/+$/, '');
  if (!baseURL) {
    try {
      statSync(join(options.dist, 'index.html'));
    } catch {
      console.error(`error: ${join(options.dist, 'index.html')} is missing; build the site first: cargo xtask dist`);
      process.exit(1);
    }
    ({ server, url: baseURL } = await startServer(options.dist, 0));
  }
  const browser = await chromium.launch({ ...launchOptions, headless: true });
  try {
    const first = await firstFrames(browser, baseURL, options.loads);
    const load = await underLoad(browser, baseURL, options.seconds);
    const open = await underLoad(browser, baseURL, options.seconds, { path: `${LOAD_PATH}&panel=metrics` });
    const long = { speed: 1, crash: true };
    const longRun = await underLoad(browser, baseURL, options.seconds, { path: LONG_PATH, ...long });
    const longOpen = await underLoad(browser, baseURL, options.seconds, { path: `${LONG_PATH}&panel=metrics`, ...long });
    const longDiagram = await underLoad(browser, baseURL, options.seconds, { path: `${LONG_PATH}&panel=diagram`, ...long });
    const tenMinutes = await underLoad(browser, baseURL, options.seconds, { path: DIAGRAM_PATH.replace('&panel=diagram', ''), ...long });
    const diagram = await underLoad(browser, baseURL, options.seconds, { path: DIAGRAM_PATH, ...long });
    const compare = await underLoad(browser, baseURL, options.seconds, { path: COMPARE_PATH, speed: 1 });
    const compareLoad = await underLoad(browser, baseURL, options.seconds, { path: COMPARE_LOAD_PATH });
    const zh = await underLoad(browser, baseURL, options.seconds, { path: `${LOAD_PATH}&lang=zh` });
    const tour = await underLoad(browser, baseURL, options.seconds, { path: TOUR_PATH, speed: 1 });
    const bundle = server ? bundleSizes(options.dist) : null;
    const round = (x) => (typeof x === 'number' ? Math.round(x * 100) / 100 : x);
    const result = {
      url: LOAD_PATH,
      chromium: browser.version(),
      first_frame_ms: round(first.median),
      first_frame_samples_ms: first.samples.map((s) => round(s.first_frame_ms)),
      ...Object.fromEntries(Object.entries(load).map(([k, v]) => [k, round(v)])),
      ...Object.fromEntries(Object.entries(open).map(([k, v]) => [`metrics_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(longRun).map(([k, v]) => [`long_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(longOpen).map(([k, v]) => [`long_metrics_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(longDiagram).map(([k, v]) => [`long_diagram_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(tenMinutes).map(([k, v]) => [`long_10min_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(diagram).map(([k, v]) => [`diagram_10min_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(compare).map(([k, v]) => [`compare_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(compareLoad).map(([k, v]) => [`compare_load_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(zh).map(([k, v]) => [`zh_${k}`, round(v)])),
      ...Object.fromEntries(Object.entries(tour).map(([k, v]) => [`tour_${k}`, round(v)])),
      bundle_raw_bytes: bundle?.raw ?? null,
      bundle_gzip_bytes: bundle?.gzip ?? null,
    };
    console.log(`bench-browser: ${JSON.stringify(result)}`);
    console.log(`browser frame-time probe (headless Chromium ${browser.version()}, software rendering)`);
    console.log(
      table([
        ['time to first frame (median)', `${fmt(first.median)}  (${first.samples.map((s) => fmt(s.first_frame_ms)).join(', ')})`],
        ['run', `raft, ${load.nodes} nodes, 20 clients, latency 0.8-1.2 s, speed 0.5, ${load.seconds} s`],
        ['simulated time covered', `${(load.sim_start_us / 1e6).toFixed(3)} s -> ${(load.sim_end_us / 1e6).toFixed(3)} s`],
        ['messages in flight', `${load.state_in_flight} (frameStats: ${load.stats_in_flight})`],
        ['frames measured', `${load.frames} (${load.frames_while_playing} while playing, ${load.fps.toFixed(1)} per second)`],
        ['frame work p50', fmt(load.p50_ms)],
        ['frame work p95', fmt(load.p95_ms)],
        ['frame work max', fmt(load.max_ms)],
        ['panel refresh p50 / p95 / max', `${fmt(load.refresh_p50_ms)} / ${fmt(load.refresh_p95_ms)} / ${fmt(load.refresh_max_ms)} (${load.refreshes} refreshes)`],
        ...[
          ['metrics panel open', open],
          ['long run (60 s, 20 clients, leader crashed, speed 1)', longRun],
          ['long run, metrics panel open', longOpen],
          ['long run, space-time diagram open', longDiagram],
          ['10-minute run (460,000 messages), panels closed', tenMinutes],
          ['10-minute run, space-time diagram open', diagram],
          ['compare view (3 lanes x 5 nodes, 20 clients, leaders crashed, speed 1)', compare],
          ['compare view under load (3 lanes x 9 nodes, 20 clients, latency 0.8-1.2 s, speed 0.5)', compareLoad],
          ['the load run in Chinese (lang=zh)', zh],
          ['a guided tour in Chinese (raft-election, speed 1)', tour],
        ].flatMap(([name, r]) => [
          [name, `${(r.sim_start_us / 1e6).toFixed(3)} s -> ${(r.sim_end_us / 1e6).toFixed(3)} s, ${r.fps.toFixed(1)} frames per second`],
          ['  frame work p50 / p95 / max', `${fmt(r.p50_ms)} / ${fmt(r.p95_ms)} / ${fmt(r.max_ms)}`],
          ['  panel refresh p50 / p95 / max', `${fmt(r.refresh_p50_ms)} / ${fmt(r.refresh_p95_ms)} / ${fmt(r.refresh_max_ms)} (${r.refreshes} refreshes)`],
        ]),
        ...(bundle ? [['bundle (all of dist/)', `${kib(bundle.raw)} raw, ${kib(bundle.gzip)} gzipped`]] : []),
      ]),
    );
    if (bundle) {
      for (const f of bundle.files) console.log(`    ${kib(f.gzip).padStart(10)} gz  ${kib(f.raw).padStart(10)} raw  ${f.file}`);
    }
  } finally {
    await browser.close();
    server?.close();
  }
}

main().catch((err) => {
  console.error(`error: the browser frame-time probe failed: ${err.stack || err}`);
  process.exit(1);
});
