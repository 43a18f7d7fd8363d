// Traceboard's benchmark (`make bench`, or `node bench/run.mjs`): measures cold start (empty,
// and with a saved board restored), import, move and export at 100 to 10,000 requirements,
// the memory after import and the gzipped transfer,
// against a plain-JavaScript baseline (bench/baseline) driven by the same code, in headless
// Chromium through Playwright. It also imports the same requirements in an unfamiliar shape
// (bench/generate.mjs says which), compared with the origin-format import, in the browser and
// natively (`Board::import` in core/examples/import_time.rs, through cargo). It also follows a linked file: an agent's
// change written to the file the board is linked to (File System Access API, on an
// origin-private-file-system handle), until the board shows it, beside `Board::follow`
// natively (core/examples/follow_time.rs). Prints the table and writes it to bench/results.md (the raw samples go to bench/results-raw.json, which git
// ignores).
//
// Options:
//   --sizes 100,1000,5000,10000   board sizes (requirements)
//   --runs N                      runs of every measure (default: import/export 5, move 7;
//                                 3 imports and exports at a size whose first import takes
//                                 more than 8 s, so a slow build still finishes in minutes)
//   --dist DIR                    the built app (default dist/); it is copied first, so a
//                                 rebuild during the run does not break it
//   --keep                        keep the generated matrices (their folder is printed)
//   --cold-only                   measure only the cold starts (and the transfer)
//   --no-native                   skip the native import and follow times (which need cargo)
//   --only follow                 measure only the linked file followed (and natively, its
//                                 merge); writes bench/results-follow.md instead of results.md,
//                                 e.g. `node bench/run.mjs --only follow --sizes 1000,10000`
// Traceboard's pages run without the File System Access API's pickers (NO_PICKERS), so its
// imports go through the file input as the baseline's do; only the linked file keeps them.
// Progress goes to stderr. The exit status is non-zero only when the harness fails (a page
// does not load, a measure times out, an export's content is wrong), never for a missed target.

import { chromium } from '@playwright/test';
import { spawn, execFileSync, execSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { generateMatrix, generateUnfamiliarMatrix } from './generate.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium.mjs';
import { DETAIL_HEADER, FOLLOW_HOW, MAIN_HEADER, detailRows, followDetailRows, followRows, mainRows, markdownTable, summary, transferRows } from './report.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const VIEWPORT = { width: 1280, height: 800 };
/** Traceboard autosaves 300 ms after a change; waiting this long keeps saves out of the next measure. */
const SETTLE_MS = 450;
const APPS = ['traceboard', 'baseline'];
/** The import runs: both apps on the origin-format file, and Traceboard on the unfamiliar shape. */
const IMPORTS = ['traceboard', 'shape', 'baseline'];
/** Native imports of each file (they are cheap, so --runs does not lower it). */
const NATIVE_RUNS = 11;

const log = (...args) => console.error('[bench]', ...args);

function parseArgs(argv) {
  const opts = { sizes: [100, 1000, 5000, 10000], runs: null, dist: join(ROOT, 'dist'), keep: false, coldOnly: false, native: true, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--sizes') opts.sizes = value().split(',').map((s) => Number(s.replace(/[_ ]/g, '')));
    else if (arg === '--runs') opts.runs = Number(value());
    else if (arg === '--dist') opts.dist = resolve(value());
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--cold-only') opts.coldOnly = true;
    else if (arg === '--no-native') opts.native = false;
    else if (arg === '--only') opts.only = value();
    else throw new Error(`unknown option ${arg} (see the header of bench/run.mjs)`);
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error('--sizes takes integers of at least 10');
  if (opts.only !== null && opts.only !== 'follow') throw new Error('--only takes: follow');
  if (opts.only !== null && opts.coldOnly) throw new Error('--only and --cold-only exclude each other');
  if (opts.runs !== null && !(Number.isInteger(opts.runs) && opts.runs >= 1)) throw new Error('--runs takes a positive integer');
  return opts;
}

/** How many runs of each measure at a size (fewer imports and exports when they are slow). */
function runsFor(opts) {
  if (opts.runs !== null) return { import: opts.runs, export: opts.runs, move: opts.runs, follow: opts.runs, adaptive: false };
  return { import: 5, export: 5, move: 7, follow: 7, adaptive: true };
}
/** A first import slower than this makes a size take 3 imports and exports instead of 5. */
const SLOW_IMPORT_MS = 8000;

/** Rejects when `promise` takes longer than `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts tests/e2e/serve.mjs on `root`; resolves with the child and its URL once it listens. */
async function serve(root) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'tests/e2e/serve.mjs'), root, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await withTimeout(
    new Promise((ok, fail) => {
      child.stdout.on('data', (d) => String(d).includes('serving') && ok());
      child.on('exit', (code) => fail(new Error(`static server for ${root} exited with ${code}`)));
    }),
    10_000,
    `static server for ${root}`,
  );
  return { child, url: `http://127.0.0.1:${port}/` };
}

/** Each file's size and gzip -9 size, as a browser fetches it from a compressing host. */
function transferSizes(dir) {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
}

function machine(browserVersion) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc missing: the count from os.cpus() stands.
  }
  const memory = /^MemTotal:\s*(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  return { nproc, model, memory: memory ? `${(Number(memory) / 1048576).toFixed(1)} GB` : 'unknown', chromium: browserVersion, node: process.version };
}

/**
 * Copies the built app, so that a rebuild while we run neither breaks pages nor mixes builds.
 * A copy taken in the middle of a build (index.html naming files that are not there yet) is
 * taken again, for up to a minute.
 */
async function snapshotDist(dist, copy) {
  for (let attempt = 0; attempt < 30; attempt++) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(dist, copy, { recursive: true, filter: (src) => !src.includes('/.stage') });
    const names = readdirSync(copy);
    const html = names.includes('index.html') ? readFileSync(join(copy, 'index.html'), 'utf8') : '';
    const wanted = [...html.matchAll(/['"]\.\/([^'"?#]+\.(?:js|wasm|css))['"]/g)].map((m) => m[1]);
    if (html && wanted.some((f) => f.endsWith('.wasm')) && wanted.every((f) => names.includes(f))) return copy;
    if (attempt === 0) log(`${dist} is incomplete (a build in progress?); waiting for it`);
    await new Promise((ok) => setTimeout(ok, 2000));
  }
  throw new Error(`${dist} has no complete build (index.html and the files it names): run make dist`);
}

/**
 * Takes the File System Access API's pickers away before the page's scripts run, so that
 * "Import matrix" opens the file chooser through the file input (Playwright cannot drive the
 * browser's own pickers), as in browsers without the API and as the baseline does. Every
 * measure but the linked file's runs so.
 */
const NO_PICKERS = `for (const name of ['showOpenFilePicker', 'showDirectoryPicker', 'showSaveFilePicker']) {
  delete window[name];
  delete Window.prototype[name];
}`;

/**
 * A fresh page (new context: empty localStorage) with the probe installed and the app ready;
 * without the file pickers (see NO_PICKERS) unless `pickers`.
 */
async function openApp(browser, url, { pickers = false } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  if (!pickers) await context.addInitScript(NO_PICKERS);
  await context.addInitScript({ path: join(BENCH, 'probe.js') });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The pages have no favicon; a full localStorage (autosave of a big board) is expected.
    if (m.type() !== 'error' || /favicon/.test(m.location().url) || /localStorage|quota/i.test(m.text())) return;
    log(`console error: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByRole('button', { name: 'Import matrix' }).first().waitFor({ timeout: 30_000 });
  await page.evaluate(() => window.__bench.stopColdStart());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { context, page, cdp };
}

/** The page's cold-start stamps (see probe.js), waiting for a visible card when `card`. */
function coldStartMarks(page, card) {
  return withTimeout(page.evaluate((c) => window.__bench.coldStartDone(c), card), 120_000, 'cold start');
}

/**
 * Cold start of an empty page: milliseconds from navigation start to "Import matrix" taking
 * input. The button must then respond: a click opens the file chooser.
 */
async function measureColdEmpty(url, work) {
  const profile = mkdtempSync(join(work, 'profile-empty-'));
  const { context, page } = await openProfile(profile);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const marks = await coldStartMarks(page, false);
    await page.evaluate(() => window.__bench.stopColdStart());
    const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
    await page.getByRole('button', { name: 'Import matrix' }).first().click();
    await chooser;
    return marks.input;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A saved note ("Saved in this browser at 10:32", "Not saved …") longer than this is a hang. */
const SAVE_WAIT_MS = 60_000;

/**
 * Waits for the page to say whether it saved the board (the note beside the file name, or an
 * error notice); returns that text, or a sentence saying it said nothing.
 */
async function savedNote(page) {
  const said = page.getByText(/^\s*(Saved|Not saved|Could not save|Not kept)\b/i).or(page.getByRole('alert')).first();
  try {
    await said.waitFor({ timeout: SAVE_WAIT_MS });
  } catch {
    return `the page did not say it saved within ${SAVE_WAIT_MS / 1000} s`;
  }
  return (await said.textContent()).trim();
}

/**
 * A new browser on its own profile folder `dir` (its storage outlives the browser), with the
 * probe installed and the HTTP cache disabled; resolves with the context and its page. Every
 * cold start opens the page once in such a browser: a new process with nothing compiled or
 * cached, only what the profile stores.
 */
async function openProfile(dir) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: VIEWPORT,
  });
  await context.addInitScript(NO_PICKERS);
  await context.addInitScript({ path: join(BENCH, 'probe.js') });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { context, page };
}

/**
 * Cold start with a saved board of `n` requirements restored (Traceboard): imports `file` in a
 * browser on a fresh profile, waits until the page says it saved, and closes that browser;
 * then, `runs` times, starts a new browser on the same profile (a new process: nothing compiled
 * or cached in memory, only what the page stored) and opens the page. Each sample is
 * milliseconds from navigation start to the first card visible and the page taking input
 * (whichever comes later). When the page does not save the board, returns `{ note }` with
 * what it said instead of samples.
 */
async function measureColdRestored(url, file, n, stages, runs, work) {
  const profile = mkdtempSync(join(work, `profile-${n}-`));
  let { context, page } = await openProfile(profile);
  try {
    await page.goto(url);
    await page.getByRole('button', { name: 'Import matrix' }).first().waitFor({ timeout: 30_000 });
    await page.evaluate(() => window.__bench.stopColdStart());
    await measureImport(page, file, n, stages);
    const note = await savedNote(page);
    if (!/^Saved\b/i.test(note)) return { note: `not saved: ${note}` };
    const samples = [];
    for (let run = 0; run < runs; run++) {
      await context.close();
      ({ context, page } = await openProfile(profile));
      await page.goto(url, { waitUntil: 'commit' });
      const marks = await coldStartMarks(page, true);
      await page.evaluate(() => window.__bench.stopColdStart());
      samples.push(Math.max(marks.input, marks.card));
      log(`${n} traceboard cold start, restored ${run + 1}/${runs}: ${samples.at(-1).toFixed(0)} ms (input at ${marks.input.toFixed(0)}, first card at ${marks.card.toFixed(0)})`);
    }
    return { samples };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The baseline's counterpart of a restored board: it keeps nothing, so a fresh page loads and
 * imports the same file; a sample is its cold start to "Import matrix" taking input plus the
 * import from the file chosen to the board painted and taking input (the time to pick the
 * file is left out).
 */
async function measureColdBaselineFile(url, file, n, stages, work) {
  const profile = mkdtempSync(join(work, 'profile-baseline-'));
  const { context, page } = await openProfile(profile);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const marks = await coldStartMarks(page, false);
    await page.evaluate(() => window.__bench.stopColdStart());
    const t = await measureImport(page, file, n, stages);
    return marks.input + t.ready;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Imports `file` through the file chooser; returns milliseconds from the file input's change
 * to the board ready (`ready`) and to the report and cards in the DOM (`dom`), how many
 * cards the DOM holds and the wasm linear memory when ready. `stages` are the columns that
 * must show cards.
 */
async function measureImport(page, file, n, stages) {
  await page.evaluate(([count, columns]) => window.__bench.armImport(count, columns), [n, stages]);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles(file);
  const r = await withTimeout(page.evaluate(() => window.__bench.importDone), 180_000, `import of ${n}`);
  if (r.start === null) throw new Error('the file input change was not seen');
  if (r.cards > n) throw new Error(`${r.cards} cards on the board after importing ${n} requirements`);
  return { ready: r.ready - r.start, dom: r.dom - r.start, via: r.via, cards: r.cards, wasm: r.wasm };
}

/** JS heap after a forced GC, the wasm linear memory and the DOM node count. */
async function measureMemory(page, cdp) {
  await page.waitForTimeout(SETTLE_MS);
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
  const wasm = await page.evaluate(() => window.__bench.wasmMemoryBytes());
  const jsHeap = metric('JSHeapUsedSize');
  return { jsHeap, wasmMemory: wasm, memoryTotal: jsHeap + (wasm ?? 0), domNodes: metric('Nodes') };
}

/** Clicks "Export matrix"; returns milliseconds from the click to the object URL, and the bytes. */
async function measureExport(page) {
  await page.evaluate(() => window.__bench.resetExport());
  const waiting = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export matrix' }).click();
  const download = await waiting;
  const bytes = readFileSync(await download.path());
  await download.delete();
  const marks = await page.evaluate(() => ({ ...window.__bench.marks }));
  if (marks.click === null || marks.objectUrl === null) throw new Error('export: click or createObjectURL not seen');
  return { ms: marks.objectUrl - marks.click, bytes };
}

/** Checks that `text` is `original` with the `moved` ids now in Test written, and nothing else changed. */
function checkMovedExport(original, text, moved, app) {
  const before = JSON.parse(original);
  const after = JSON.parse(text);
  if (JSON.stringify(before.meta) !== JSON.stringify(after.meta)) throw new Error(`${app}: export changed meta`);
  if (before.requirements.length !== after.requirements.length) throw new Error(`${app}: export changed the number of requirements`);
  // What a move may write (Traceboard keeps status and history in step; the baseline only tdd_stage).
  const moveFields = new Set(['tdd_stage', 'tdd_history', 'status', 'governance_status', 'last_reviewed_by']);
  const strip = (req) => JSON.stringify(Object.entries(req).filter(([k]) => !moveFields.has(k)));
  before.requirements.forEach((req, i) => {
    const out = after.requirements[i];
    if (moved.has(req.id)) {
      if (out.tdd_stage !== 'test_written') throw new Error(`${app}: ${req.id} exported with tdd_stage ${out.tdd_stage}`);
      if (strip(req) !== strip(out)) throw new Error(`${app}: ${req.id} changed beyond its move`);
    } else if (JSON.stringify(req) !== JSON.stringify(out)) {
      throw new Error(`${app}: ${req.id} changed although it was not moved`);
    }
  });
}

/**
 * Drags the first Backlog card that lists tests onto Test written with the mouse; returns the
 * times from pointerup to the card in the DOM, to the next frame, and to that frame painted.
 */
async function measureMove(page, hasTests) {
  const cards = await page.evaluate(() => window.__bench.cardsIn('backlog', 200));
  const card = cards.find((c) => hasTests.has(c.id));
  if (!card) throw new Error('no Backlog card with tests is left to move');
  const source = page.locator(`[id="${card.elementId}"]`);
  await source.scrollIntoViewIfNeeded();
  const from = await source.boundingBox();
  const to = await page.locator('section[data-stage="test_written"]').boundingBox();
  if (!from || !to) throw new Error('drag source or target is not visible');
  await page.evaluate(({ id }) => window.__bench.armMove(id, 'test_written'), { id: card.id });
  const x = from.x + from.width / 2;
  const y = from.y + Math.min(from.height / 2, 20);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 10, y + 4, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 120), { steps: 12 });
  await page.mouse.up();
  const r = await withTimeout(page.evaluate(() => window.__bench.moveDone), 30_000, `move of ${card.id}`);
  if (r.up === null) throw new Error('the pointerup was not seen');
  await page.waitForTimeout(SETTLE_MS);
  return { id: card.id, dom: r.dom - r.up, frame: r.frame - r.up, painted: r.painted - r.up };
}

/** The linked file's name in the origin private file system. */
const FOLLOW_NAME = 'traceability_matrix.json';

/**
 * Links `text` as the board's file, as tests/e2e/linked_file.spec.ts does: writes it into the
 * page's origin private file system, replaces `showOpenFilePicker` with a function returning
 * that file's handle, clicks "Import matrix" and waits for the board (the report and cards in
 * every column in `stages`) and for "Linked to …".
 */
async function linkBoard(page, text, n, stages) {
  await page.evaluate(
    async ({ name, text }) => {
      const root = await navigator.storage.getDirectory();
      for await (const entry of root.keys()) await root.removeEntry(entry, { recursive: true });
      const handle = await root.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(text);
      await writable.close();
      window.showOpenFilePicker = async () => [handle];
      window.__follow = { handle, text };
    },
    { name: FOLLOW_NAME, text },
  );
  await page.evaluate(([count, columns]) => window.__bench.armImport(count, columns), [n, stages]);
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await withTimeout(page.evaluate(() => window.__bench.importDone), 180_000, `linking the board of ${n}`);
  await page.locator('.link-status').filter({ hasText: `Linked to ${FOLLOW_NAME}` }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(SETTLE_MS);
}

/**
 * Plays an agent once: rewrites the linked file with card `id`'s `tdd_stage` changed (to
 * `other` when it is `stage`, else back to `stage`), from the page, and waits until the board
 * shows the card in its new column. Returns milliseconds from the write's `close()` resolving
 * to the card in the DOM (`seen`: includes the wait for the watch, which checks once a second),
 * and from the app's read of the new file resolving (`show`: merge and render), from its
 * `getFile()` returning it (`detect`: read, merge and render) and from the read to the frame
 * that shows the card painted (`painted`).
 */
async function measureFollow(page, id, stage, other) {
  const moved = await page.evaluate(
    async ({ id, stage, other }) => {
      const key = '"tdd_stage": "';
      const old = window.__follow.text;
      const start = old.indexOf(key, old.indexOf(`"id": "${id}"`)) + key.length;
      const end = old.indexOf('"', start);
      const to = old.slice(start, end) === stage ? other : stage;
      const text = old.slice(0, start) + to + old.slice(end);
      window.__bench.armFollow(id, to, new Blob([text]).size);
      const writable = await window.__follow.handle.createWritable();
      await writable.write(text);
      await writable.close();
      window.__bench.followWritten();
      window.__follow.text = text;
      return to;
    },
    { id, stage, other },
  );
  const r = await withTimeout(page.evaluate(() => window.__bench.followDone), 20_000, `the board following ${id} to ${moved}`);
  if (r.read === null || r.detected === null) throw new Error(`follow of ${id}: the app's getFile or read of the new file was not seen`);
  await page.waitForTimeout(SETTLE_MS);
  return { to: moved, via: r.via, seen: r.dom - r.written, show: r.dom - r.read, detect: r.dom - r.detected, painted: r.painted - r.read };
}

/**
 * Times `Board::follow` natively on each file (core/examples/follow_time.rs, release build: the
 * board holds a move of its own, the file has one requirement moved); returns `{[file]:
 * {median, min, max, n}}`, or null when cargo is missing or fails.
 */
function measureNativeFollow(files, runs) {
  const cargo = ['run', '-q', '--release', '-p', 'traceboard-core', '--example', 'follow_time', '--', '--runs', String(runs)];
  const native = {};
  for (const file of files) {
    let out;
    try {
      log(`native follow: cargo ${cargo.join(' ')} ${file}`);
      out = execFileSync('cargo', [...cargo, file], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    } catch (e) {
      log(`native follow not measured: ${e.message.split('\n')[0]}`);
      return null;
    }
    const [path, n, median, min, max] = out.trim().split('\n').at(-1).split('\t');
    native[path] = { n: Number(n), median: Number(median), min: Number(min), max: Number(max) };
    log(`native follow ${path}: median ${median} ms (${min}–${max}, ${n} runs)`);
  }
  return native;
}

/**
 * Times `Board::import` natively on each file (core/examples/import_time.rs, release build,
 * the files imported in turn for `runs` rounds); returns `{[file]: {median, min, max,
 * n, bytes, report}}`, or null when cargo is missing or fails (the table then shows no native
 * figures).
 */
function measureNative(files, runs) {
  const cargo = ['run', '-q', '--release', '-p', 'traceboard-core', '--example', 'import_time', '--'];
  let out;
  try {
    log(`native imports: cargo ${cargo.join(' ')} --runs ${runs} (${files.length} files)`);
    out = execFileSync('cargo', [...cargo, '--runs', String(runs), ...files], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    log(`native imports not measured: ${e.message.split('\n')[0]}`);
    return null;
  }
  const native = {};
  for (const line of out.trim().split('\n')) {
    const [file, n, median, min, max, bytes, report] = line.split('\t');
    native[file] = { n: Number(n), median: Number(median), min: Number(min), max: Number(max), bytes: Number(bytes), report };
    log(`native ${file}: median ${median} ms (${min}–${max}, ${n} runs); ${report}`);
  }
  return native;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadAtStart = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'traceboard-bench-'));
  const children = [];
  let browser;
  try {
    const distCopy = await snapshotDist(opts.dist, join(work, 'dist'));
    const wasmName = readdirSync(distCopy).find((f) => f.endsWith('.wasm'));
    const transfer = { traceboard: transferSizes(distCopy), baseline: transferSizes(join(BENCH, 'baseline')) };

    const servers = {};
    for (const [app, root] of [['traceboard', distCopy], ['baseline', join(BENCH, 'baseline')]]) {
      const s = await serve(root);
      children.push(s.child);
      servers[app] = s.url;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const env = machine(browser.version());
    log(`Chromium ${env.chromium}, ${env.nproc} cores (${env.model}); data in ${work}`);

    const results = {};
    const files = {};
    const shapes = {};
    for (const size of opts.sizes) {
      const shape = generateUnfamiliarMatrix(size);
      const file = join(work, `traceability_unfamiliar_${size}.json`);
      writeFileSync(file, shape.text);
      shapes[size] = { file, bytes: shape.text.length, stages: [...new Set(shape.requirements.map((r) => r.stage))] };
    }
    const runsUsed = {};
    const coldRuns = opts.only ? 0 : opts.runs ?? 5;
    const cold = { empty: { traceboard: [], baseline: [] }, notes: {} };
    for (let run = 0; run < coldRuns; run++) {
      for (const app of run % 2 ? [...APPS].reverse() : APPS) {
        const ms = await measureColdEmpty(servers[app], work);
        cold.empty[app].push(ms);
        log(`${app} cold start, empty ${run + 1}/${coldRuns}: ${ms.toFixed(0)} ms`);
      }
    }
    for (const size of opts.sizes) {
      const { text, requirements } = generateMatrix(size);
      const file = join(work, `traceability_matrix_${size}.json`);
      writeFileSync(file, text);
      files[size] = { bytes: text.length, shapeBytes: shapes[size].bytes };
      const original = Buffer.from(text);
      const hasTests = new Set(requirements.filter((r) => r.tests > 0).map((r) => r.id));
      const stages = [...new Set(requirements.map((r) => r.stage))];
      const runs = runsFor(opts);
      runsUsed[size] = runs;
      results[size] = {};
      for (const app of APPS) {
        results[size][app] = { coldRestored: [], import: [], importDom: [], importShape: [], importShapeDom: [], wasmAtImportShape: [], cardsRendered: [], jsHeap: [], wasmAtImport: [], wasmMemory: [], memoryTotal: [], domNodes: [], exportSame: [], exportMoved: [], moveDom: [], moveFrame: [], movePainted: [], followSeen: [], followShow: [], followDetect: [], followPainted: [] };
      }

      // Cold start with this board restored; the baseline loads the same file instead.
      const restored = coldRuns > 0 ? await measureColdRestored(servers.traceboard, file, size, stages, coldRuns, work) : { samples: [] };
      if (restored.note) {
        cold.notes[size] = restored.note;
        log(`${size} traceboard cold start, restored: ${restored.note}`);
      } else {
        results[size].traceboard.coldRestored.push(...restored.samples);
      }
      for (let run = 0; run < coldRuns; run++) {
        const ms = await measureColdBaselineFile(servers.baseline, file, size, stages, work);
        results[size].baseline.coldRestored.push(ms);
        log(`${size} baseline cold start + import of the file ${run + 1}/${coldRuns}: ${ms.toFixed(0)} ms`);
      }
      if (opts.coldOnly) {
        runs.import = runs.export = runs.move = runs.follow = 0;
        continue;
      }
      if (opts.only === 'follow') runs.import = runs.export = runs.move = 0;
      log(`${size} requirements (${(text.length / 1048576).toFixed(1)} MB; unfamiliar shape ${(shapes[size].bytes / 1048576).toFixed(1)} MB): ${runs.import} imports, ${runs.export} exports, ${runs.move} moves per app, ${runs.follow} follows of the linked file`);

      for (let run = 0; run < runs.import; run++) {
        // Alternate which app goes first, so slow drift of the machine hits both alike; the
        // unfamiliar shape is always next to Traceboard's origin-format import.
        const order = run % 2 ? [...IMPORTS].reverse() : IMPORTS;
        for (const app of order) {
          if (app === 'shape') {
            const r = results[size].traceboard;
            const { context, page } = await openApp(browser, servers.traceboard);
            try {
              const t = await measureImport(page, shapes[size].file, size, shapes[size].stages);
              r.importShape.push(t.ready);
              r.importShapeDom.push(t.dom);
              r.wasmAtImportShape.push(t.wasm);
              log(`${size} traceboard import of the unfamiliar shape ${run + 1}/${runs.import}: ${t.ready.toFixed(1)} ms (DOM at ${t.dom.toFixed(1)} ms, seen by ${t.via}, ${t.cards} cards rendered); wasm ${(t.wasm / 1048576).toFixed(1)} MB`);
            } finally {
              await context.close();
            }
            continue;
          }
          const r = results[size][app];
          const { context, page, cdp } = await openApp(browser, servers[app]);
          try {
            const t = await measureImport(page, file, size, stages);
            r.import.push(t.ready);
            r.importDom.push(t.dom);
            r.cardsRendered.push(t.cards);
            r.wasmAtImport.push(t.wasm);
            const mem = await measureMemory(page, cdp);
            for (const k of Object.keys(mem)) r[k].push(mem[k]);
            log(`${size} ${app} import ${run + 1}/${runs.import}: ${t.ready.toFixed(1)} ms (DOM at ${t.dom.toFixed(1)} ms, seen by ${t.via}, ${t.cards} cards rendered); JS heap ${(mem.jsHeap / 1048576).toFixed(1)} MB, wasm ${mem.wasmMemory === null ? '-' : (mem.wasmMemory / 1048576).toFixed(1) + ' MB'}`);
            if (run !== runs.import - 1) continue;

            // On the last import's board: exports of the unchanged board, moves, exports after them.
            for (let i = 0; i < runs.export; i++) {
              const e = await measureExport(page);
              if (!e.bytes.equals(original)) throw new Error(`${app}: the export of the unchanged ${size} board differs from the file (${e.bytes.length} vs ${original.length} bytes)`);
              r.exportSame.push(e.ms);
              log(`${size} ${app} export (unchanged) ${i + 1}/${runs.export}: ${e.ms.toFixed(1)} ms, ${e.bytes.length} bytes, identical`);
            }
            const moved = new Set();
            for (let i = 0; i < runs.move; i++) {
              const m = await measureMove(page, hasTests);
              moved.add(m.id);
              r.moveDom.push(m.dom);
              r.moveFrame.push(m.frame);
              r.movePainted.push(m.painted);
              log(`${size} ${app} move ${i + 1}/${runs.move} (${m.id}): DOM ${m.dom.toFixed(1)} ms, frame ${m.frame.toFixed(1)} ms, painted ${m.painted.toFixed(1)} ms`);
            }
            for (let i = 0; i < runs.export; i++) {
              const e = await measureExport(page);
              checkMovedExport(text, e.bytes.toString('utf8'), moved, app);
              r.exportMoved.push(e.ms);
              log(`${size} ${app} export (after ${moved.size} moves) ${i + 1}/${runs.export}: ${e.ms.toFixed(1)} ms, ${e.bytes.length - original.length >= 0 ? '+' : ''}${e.bytes.length - original.length} bytes, only the moved cards changed`);
            }
          } finally {
            await context.close();
          }
        }
        const slowest = Math.max(...APPS.map((app) => results[size][app].import[0]));
        if (run === 0 && runs.adaptive && slowest > SLOW_IMPORT_MS && runs.import > 3) {
          runs.import = runs.export = 3;
          log(`${size}: the first import took ${(slowest / 1000).toFixed(1)} s; 3 imports and exports at this size`);
        }
      }

      // The linked file followed: the first requirement's stage changed on disk, back and forth.
      if (runs.follow > 0) {
        const r = results[size].traceboard;
        const { context, page } = await openApp(browser, servers.traceboard, { pickers: true });
        try {
          await linkBoard(page, text, size, stages);
          const [first] = requirements;
          const other = first.stage === 'green' ? 'red' : 'green';
          for (let i = 0; i < runs.follow; i++) {
            // The watch ticks once a second: stagger the writes over that second (golden-ratio
            // steps), so the runs do not all land at the same point of the tick.
            await page.waitForTimeout(Math.round((i * 618.034) % 1000));
            const f = await measureFollow(page, first.id, first.stage, other);
            r.followSeen.push(f.seen);
            r.followShow.push(f.show);
            r.followDetect.push(f.detect);
            r.followPainted.push(f.painted);
            log(`${size} traceboard follow ${i + 1}/${runs.follow} (${first.id} to ${f.to} on disk): seen ${f.seen.toFixed(1)} ms after the write; read → DOM ${f.show.toFixed(1)} ms (by ${f.via}), getFile → DOM ${f.detect.toFixed(1)} ms, read → painted ${f.painted.toFixed(1)} ms`);
          }
        } finally {
          await context.close();
        }
      }
    }

    // Native imports last, so their load is not on the machine while the browser measures.
    const nativeRuns = Math.max(opts.runs ?? 0, NATIVE_RUNS);
    const byFile = opts.native && !opts.coldOnly && !opts.only
      ? measureNative(opts.sizes.flatMap((s) => [join(work, `traceability_matrix_${s}.json`), shapes[s].file]), nativeRuns)
      : null;
    const native = byFile
      ? Object.fromEntries(opts.sizes.map((s) => [s, { origin: byFile[join(work, `traceability_matrix_${s}.json`)], shape: byFile[shapes[s].file] }]))
      : null;
    const followFiles = opts.native && !opts.coldOnly ? measureNativeFollow(opts.sizes.map((s) => join(work, `traceability_matrix_${s}.json`)), nativeRuns) : null;
    const nativeFollow = followFiles ? Object.fromEntries(opts.sizes.map((s) => [s, followFiles[join(work, `traceability_matrix_${s}.json`)] ?? null])) : null;

    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    // When, where and with what the run was made: the same lines head both reports.
    const runLines = [
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} (run took ${minutes} min)`,
      `- Machine: ${env.nproc} cores (\`nproc\`), ${env.model}, ${env.memory} RAM; load average (1/5/15 min) ${fmtLoad(loadAtStart)} at the start, ${fmtLoad(loadavg())} at the end (other work on the machine skews the figures)`,
      `- Browser: headless Chromium ${env.chromium}, viewport ${VIEWPORT.width}×${VIEWPORT.height}; Node ${env.node}`,
      `- Traceboard build: \`${wasmName}\``,
    ];
    if (opts.only === 'follow') {
      const table = markdownTable(MAIN_HEADER, followRows(results, opts.sizes, nativeFollow));
      const details = markdownTable(DETAIL_HEADER, followDetailRows(results, opts.sizes));
      const report = [
        '# Traceboard benchmark: the board follows its file (`--only follow`)',
        '',
        ...runLines,
        `- Matrices: ${opts.sizes.map((s) => `${s.toLocaleString('en-US')} requirements = ${(files[s].bytes / 1048576).toFixed(2)} MB`).join('; ')} (bench/generate.mjs, seeded)`,
        `- Runs per size: ${opts.sizes.map((s) => `${s.toLocaleString('en-US')}: ${runsUsed[s].follow} follows`).join('; ')}${nativeFollow ? `; native follows: ${nativeRuns} of each file` : ''}`,
        '',
        table,
        '',
        '## Details',
        '',
        details,
        '',
        '## How each figure is taken',
        '',
        '- Each figure is the median of the runs, with min–max in brackets. The baseline links no file, so it has no figures here.',
        FOLLOW_HOW,
        '',
      ].join('\n');
      writeFileSync(join(BENCH, 'results-follow.md'), report);
      writeFileSync(join(BENCH, 'results-raw-follow.json'), JSON.stringify({ env, sizes: opts.sizes, files, results, nativeFollow, summaries: summarize(results) }, null, 2));
      console.log(`\n${table}\n\n${details}\n`);
      log(`done in ${minutes} min; wrote bench/results-follow.md and bench/results-raw-follow.json`);
      return;
    }
    const table = markdownTable(MAIN_HEADER, mainRows(results, opts.sizes, transfer, cold, native, nativeFollow));
    const details = markdownTable(DETAIL_HEADER, detailRows(results, opts.sizes));
    const transferTable = markdownTable(['Page', 'File', 'Size', 'Gzipped'], transferRows(transfer));
    const report = [
      '# Traceboard benchmark',
      '',
      ...runLines,
      `- Matrices: ${opts.sizes.map((s) => `${s.toLocaleString('en-US')} requirements = ${(files[s].bytes / 1048576).toFixed(2)} MB (unfamiliar shape ${(files[s].shapeBytes / 1048576).toFixed(2)} MB)`).join('; ')} (bench/generate.mjs, seeded)`,
      `- Runs per size: ${opts.sizes.map((s) => { const r = runsUsed[s]; return `${s.toLocaleString('en-US')}: ${r.import} imports (and as many of the unfamiliar shape), ${r.export}+${r.export} exports, ${r.move} moves, ${r.follow} follows of the linked file`; }).join('; ')}; cold starts: ${coldRuns} per case and app${native ? `; native imports: ${nativeRuns} of each file` : ''}${nativeFollow ? `; native follows: ${nativeRuns} of each file` : ''}`,
      '',
      table,
      '',
      '## Details',
      '',
      details,
      '',
      '## Transfer (gzip -9 of each file)',
      '',
      transferTable,
      '',
      '## How each figure is taken',
      '',
      '- Each figure is the median of the runs, with min–max in brackets. Ratio = Traceboard median / baseline median (1.00× = as fast as plain JavaScript).',
      '- Traceboard\'s pages run without the File System Access API\'s pickers (`showOpenFilePicker` and the others are deleted before the page\'s scripts run), so "Import matrix" opens the file chooser through the file input, as in browsers without the API and as the baseline does; only the linked file\'s measure keeps them.',
      '- Baseline: bench/baseline, the same board in plain JavaScript (JSON.parse, DOM built into fragments, same card markup, same pointer drag, JSON.stringify export; no gates, history or autosave).',
      '- Cold start: each load in a new browser (a new process, on its own profile folder) with the HTTP cache disabled (CDP `Network.setCacheDisabled`), so every load fetches and compiles the wasm and scripts as a first visit does. The clock is `performance.now()`, which counts from the navigation\'s start. The probe checks at the start of every animation frame and stamps the task after the first frame that shows the state (painted, main thread free). Empty: until `DOMContentLoaded` has fired (the document parsed, its deferred and module scripts run) and an enabled "Import matrix" button is on screen; the button must then open the file chooser when clicked. Restored: Traceboard imports the matrix in a browser on a fresh profile, the harness waits until the page says "Saved…", closes that browser and, for each run, starts a new browser on the same profile (so only what the page stored is kept) and opens the page; the figure is navigation start to the later of the first card visible in the viewport and "Import matrix" taking input. When the page does not save the board (the figure then reads "not saved: " and what the page said), nothing is restored and there is no figure. The baseline keeps nothing between visits, so its fair counterpart is a fresh page loading the same file: its empty cold start plus the import of the file (file chosen → board painted, taking input), without the time a person takes to pick the file.',
      '- Import: a capture-phase `change` listener on window starts the clock; it stops after the import report (`[role=status]` "Imported N requirements") has appeared with cards shown in every non-empty column (all N cards, unless the page renders only the visible ones), one `requestAnimationFrame` and a `setTimeout(0)`. Every import is in a fresh browser context (empty localStorage).',
      '- Import split (details): the same clock stopped when the report and all cards are in the DOM; the rest of the import figure is style, layout and paint of the new board.',
      '- Unfamiliar shape: the same requirements (same texts, tests, code and stages) written as `bench/generate.mjs` `generateUnfamiliarMatrix` writes them: under `traceability.items` (not a key that says "requirements"), with `requirementId`, `summary`, `category`, `importance`, a `state` word from the status vocabulary (Not Started, In Progress, Partially Implemented, Implemented, Verified) instead of `tdd_stage`, tests in `verification.tests`, code in `artifacts.code`, and one more code path and test per requirement in a `coverage` map keyed by requirement id, which the import joins. Its import is measured like the origin-format import, in a fresh context right next to it in every run, and waits for the same columns to show cards; the ratio is its median over the origin-format median. Native: `Board::import` in a release build of core/examples/import_time.rs (the app\'s size-tuned profile, `opt-level = "z"`), both files imported in turn, the median of the runs; no browser, no rendering.',
      '- Move: the first Backlog card (all list tests, so the TDD gates allow it) is dragged with the mouse, in steps, onto Test written; a different card each run, on the board of the last import. From the capture-phase `pointerup` on window to the MutationObserver on the target column seeing the card (DOM), to the next `requestAnimationFrame` callback (the frame that paints it; includes the wait for that frame, up to 16.7 ms at 60 Hz), and (details) to a `setTimeout(0)` queued from that callback (the frame\'s style, layout and paint done). The 16 ms target applies to the DOM figure, the app\'s own work for the drop; the frame figures add the wait for the frame, whose floor the baseline shows. Moves are 450 ms apart so Traceboard\'s autosave (300 ms after a change) stays out of them.',
      '- Export: from the capture-phase `click` on "Export matrix" to the call of `URL.createObjectURL` (the file\'s bytes are ready). The unchanged board\'s download must equal the file byte for byte; after the moves only the moved requirements may differ.',
      '- Memory: after each import and a forced GC (`HeapProfiler.collectGarbage`), CDP `Performance.getMetrics` JSHeapUsedSize (V8 heap), plus the byte length of every WebAssembly.Memory the page\'s modules export (linear memory only grows, so this is its high-water mark, including Traceboard\'s autosave 300 ms after the import; the details also give it at the moment the board is ready, before that save, and for the unfamiliar shape\'s import too). DOM nodes: the same metrics\' `Nodes`.',
      FOLLOW_HOW,
      '',
    ].join('\n');
    writeFileSync(join(BENCH, 'results.md'), report);
    writeFileSync(join(BENCH, 'results-raw.json'), JSON.stringify({ env, sizes: opts.sizes, files, transfer, cold, results, native, nativeFollow, summaries: summarize(results) }, null, 2));
    console.log(`\n${table}\n\n${details}\n\n${transferTable}\n`);
    log(`done in ${minutes} min; wrote bench/results.md and bench/results-raw.json`);
  } finally {
    await browser?.close();
    for (const child of children) child.kill();
    if (opts.keep) log(`kept the matrices in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join('/');

/** Median and spread of every measure, for the raw results file. */
function summarize(results) {
  const out = {};
  for (const [size, apps] of Object.entries(results)) {
    out[size] = {};
    for (const [app, measures] of Object.entries(apps)) {
      out[size][app] = Object.fromEntries(Object.entries(measures).map(([k, v]) => [k, summary(v)]));
    }
  }
  return out;
}

main().catch((e) => {
  console.error(`[bench] failed: ${e.stack ?? e}`);
  process.exit(1);
});
