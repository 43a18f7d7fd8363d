// Card details on large boards: from a click on a card to its details dialog painted, and
// from a key typed in its "Text" field to the next painted frame (issue 13: under one frame
// after the click, typing instant). Run by `make bench` after run.mjs, or alone:
//   node bench/details.mjs [--sizes 1000,10000] [--runs 15] [--dist dist]
// Writes bench/results-details.md. Like run.mjs it is a benchmark, not a test: it fails only
// when the harness does (the page does not load, the dialog never opens).

import { chromium } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMatrix } from './generate.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium.mjs';
import { markdownTable, summary } from './report.mjs';
import { openBoard, options, serve } from './harness.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const FRAME_MS = 16.7;
const log = (...args) => console.error('[bench details]', ...args);

/** Click on a card → the dialog in the DOM with its text, and the frame after painted. */
async function openOnce(page, id) {
  const card = page.getByRole('button', { name: new RegExp(`^${id}\\b`) });
  await card.scrollIntoViewIfNeeded();
  await page.evaluate((id) => {
    window.__details = new Promise((done) => {
      let start = null;
      addEventListener('pointerup', () => (start = performance.now()), { capture: true, once: true });
      // The dialog counts as shown once it is open with this card's id and its Text field:
      // seen by a MutationObserver, as soon as the page's work for the click has run.
      const ready = () => {
        const dialog = document.querySelector('dialog.details-dialog[open]');
        return start !== null && dialog && dialog.textContent.includes(id) && dialog.querySelector('#details-text');
      };
      const finish = () => {
        const dom = performance.now();
        requestAnimationFrame(() => setTimeout(() => done({ dom: dom - start, painted: performance.now() - start })));
      };
      new MutationObserver((_, obs) => {
        if (ready()) {
          obs.disconnect();
          finish();
        }
      }).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
    });
  }, id);
  await card.click();
  const r = await page.evaluate(() => window.__details);
  await page.keyboard.press('Escape');
  await page.locator('dialog.details-dialog[open]').waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  return r;
}

/** A key typed in the open details' Text field → the next frame painted. */
async function typeOnce(page) {
  return page.evaluate(
    () =>
      new Promise((done) => {
        const area = document.querySelector('#details-text');
        area.focus();
        area.addEventListener(
          'input',
          () => {
            const t = performance.now();
            requestAnimationFrame(() => setTimeout(() => done(performance.now() - t)));
          },
          { once: true },
        );
        area.setRangeText('x', area.value.length, area.value.length, 'end');
        area.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'x', inputType: 'insertText' }));
      }),
  );
}

/** A JUnit report of about 2 MB for the generated board's tests: a third fail, with bodies. */
function junitFor(requirements) {
  const body = 'E   AssertionError: the response took too long &amp; nothing was logged\n'.repeat(30);
  const cases = [];
  let bytes = 0;
  for (let i = 0; bytes < 2 * 1024 * 1024; i++) {
    const r = requirements[(i * 7) % requirements.length];
    const [file, name] = r.tests[i % r.tests.length].split('::');
    const classname = file.replace(/\.py$/, '').replaceAll('/', '.');
    const failure = i % 3 === 0 ? `<failure message="assert ${i} == 0">${body}</failure>` : '';
    const one = `<testcase classname="${classname}" name="${name}" time="0.01">${failure}</testcase>\n`;
    cases.push(one);
    bytes += one.length;
  }
  return `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" timestamp="2026-11-29T10:00:00">\n${cases.join('')}</testsuite></testsuites>`;
}

/** "Import test results": the file input's change → the notice saying what was read. */
async function importReport(page, file) {
  await page.evaluate(() => {
    window.__results = new Promise((done) => {
      let start = null;
      addEventListener('change', (e) => { if (e.target.accept?.includes('xml')) start = performance.now(); }, { capture: true });
      new MutationObserver((_, obs) => {
        if (start !== null && document.querySelector('.notice.info:not([hidden])')?.textContent.includes('Read 1 report')) {
          obs.disconnect();
          done(performance.now() - start);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  });
  await page.evaluate(() => document.querySelector('.notice.info .dismiss')?.click());
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.getByRole('button', { name: 'Import test results', exact: true }).click();
  await (await chooser).setFiles(file);
  return page.evaluate(() => window.__results);
}

async function main() {
  const opts = options(process.argv.slice(2), { sizes: [1000, 10000], runs: 15 });
  const work = mkdtempSync(join(tmpdir(), 'traceboard-details-'));
  const { child, url } = await serve(opts.dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const rows = [];
  try {
    for (const size of opts.sizes) {
      const { text, requirements } = generateMatrix(size);
      const file = join(work, `m${size}.json`);
      writeFileSync(file, text);
      const { context, page } = await openBoard(browser, url, file);
      // Cards near the top of each column, and the last requirement of the file.
      const ids = requirements.slice(0, 40).map((r) => r.id);
      const open = { dom: [], painted: [] };
      const typed = [];
      for (let i = 0; i < opts.runs; i++) {
        const id = ids[i % ids.length];
        if ((await page.getByRole('button', { name: new RegExp(`^${id}\\b`) }).count()) === 0) continue;
        const r = await openOnce(page, id);
        open.dom.push(r.dom);
        open.painted.push(r.painted);
        log(`${size}: details of ${id}: DOM ${r.dom.toFixed(1)} ms, painted ${r.painted.toFixed(1)} ms`);
      }
      await page.getByRole('button', { name: new RegExp(`^${ids[0]}\\b`) }).click();
      for (let i = 0; i < opts.runs; i++) typed.push(await typeOnce(page));
      await page.keyboard.press('Escape');
      // A 2 MB JUnit report of about 1,000 results for this board's tests, imported.
      const report = join(work, `junit${size}.xml`);
      writeFileSync(report, junitFor(JSON.parse(text).requirements));
      const imported = [];
      for (let i = 0; i < Math.min(opts.runs, 5); i++) imported.push(await importReport(page, report));
      log(`${size}: test report imported: ${imported.map((t) => t.toFixed(0)).join(', ')} ms`);
      log(`${size}: typing, next frame after each key: ${typed.map((t) => t.toFixed(1)).join(', ')} ms`);
      await context.close();
      const cell = (s) => (s ? `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '—');
      const dom = summary(open.dom);
      const painted = summary(open.painted);
      const type = summary(typed);
      rows.push(['Click → details in the DOM', size, cell(dom), '≤ 16.7 ms', dom && dom.median <= FRAME_MS ? '✓' : '✗']);
      rows.push(['Click → details painted', size, cell(painted), '—', '']);
      rows.push(['Key in "Text" → next frame painted', size, cell(type), '≤ 16.7 ms', type && type.median <= FRAME_MS ? '✓' : '✗']);
      const results = summary(imported);
      rows.push(['2 MB JUnit report (about 1,000 results): file chosen → read, matched, suggestions shown', size, cell(results), '≤ 200 ms', results && results.median <= 200 ? '✓' : '✗']);
    }
  } finally {
    await browser.close();
    child.kill();
  }
  const table = markdownTable(['Measure', 'Reqs', 'Median (min–max)', 'Target', 'Met'], rows);
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model;
  const out = `# Card details on large boards\n\nMeasured by \`node bench/details.mjs\` (part of \`make bench\`) on ${model}, ${cpus().length} cores, headless Chromium, ${opts.runs} runs each. "Click" is the pointerup of a click on a card; "in the DOM" is when a MutationObserver first sees the open dialog with the card's id and its Text field (the page's own work for the click, done); "painted" is the end of the frame after it, which includes waiting for the display's next frame. Typing is one \`input\` event in the Text field to the next painted frame: the board is not touched until the edit is committed.\n\n${table}\n`;
  writeFileSync(join(BENCH, 'results-details.md'), out);
  console.log(out);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
