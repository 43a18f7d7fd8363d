// Planning a large board (issue 15): at 10,000 requirements, applying a filter, clearing it
// and switching the grouping each update the board within one frame after the data changes.
// Run by `make bench`, or alone:
//   node bench/planning.mjs [--sizes 1000,10000] [--runs 10] [--dist dist]
// Writes bench/results-planning.md. A benchmark, not a test: it fails only when the harness
// does (the page does not load, a control is missing).

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
const log = (...args) => console.error('[bench planning]', ...args);

/**
 * Runs `act` in the page and measures from its start to the end of the page's own work for it
 * (`dom`: the DOM shows `done()`, seen by a MutationObserver, which runs once the page's
 * reactive updates for the event have run), and to the end of the frame after it (`painted`).
 * `act` and `done` are page functions as source text.
 */
async function measure(page, act, done) {
  return page.evaluate(
    ([act, done]) =>
      new Promise((finish, fail) => {
        const isDone = new Function(`return (${done})()`);
        let start = 0;
        const ended = () => {
          const dom = performance.now();
          requestAnimationFrame(() => setTimeout(() => finish({ dom: dom - start, painted: performance.now() - start })));
        };
        const timer = setTimeout(() => fail(new Error(`the board did not update: ${done}`)), 10_000);
        new MutationObserver((_, obs) => {
          if (isDone()) {
            obs.disconnect();
            clearTimeout(timer);
            ended();
          }
        }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        start = performance.now();
        new Function(`return (${act})()`)();
      }),
    [act, done],
  );
}

const select = (label, value) => `() => {
  const s = document.querySelector("select[aria-label='${label}']");
  s.value = '${value}';
  s.dispatchEvent(new Event('change', { bubbles: true }));
}`;

async function main() {
  const opts = options(process.argv.slice(2), { sizes: [1000, 10000], runs: 10 });
  const work = mkdtempSync(join(tmpdir(), 'traceboard-planning-'));
  const { child, url } = await serve(opts.dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const rows = [];
  try {
    for (const size of opts.sizes) {
      const { text } = generateMatrix(size);
      const file = join(work, `m${size}.json`);
      writeFileSync(file, text);
      const { context, page } = await openBoard(browser, url, file);
      // The filter menu renders its selects while open.
      await page.getByRole('button', { name: /^Filters/ }).click();
      await page.locator("select[aria-label='Priority filter'] option[value=high]").waitFor({ state: 'attached' });
      const runs = { filter: [], clear: [], group: [], ungroup: [] };
      // Autosave writes the board 200 ms after a change (the layout is kept with it); each
      // measure starts after that write, so it times the control, not an earlier save.
      const settle = () => page.waitForTimeout(700);
      for (let i = 0; i < opts.runs; i++) {
        await settle();
        runs.filter.push(
          await measure(page, select('Priority filter', 'high'), `() => !!document.querySelector("[aria-label='Remove filter Priority: high']")`),
        );
        await settle();
        runs.clear.push(
          await measure(
            page,
            `() => [...document.querySelectorAll('button')].find((b) => b.textContent === 'Clear filters').click()`,
            `() => !document.querySelector("[aria-label='Remove filter Priority: high']")`,
          ),
        );
        await settle();
        runs.group.push(await measure(page, select('Group by', 'priority'), `() => document.querySelectorAll('.lane').length >= 3`));
        await settle();
        runs.ungroup.push(await measure(page, select('Group by', 'none'), `() => document.querySelectorAll('.lane').length === 0`));
      }
      await context.close();
      const cell = (s) => (s ? `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '—');
      for (const [what, key] of [
        ['Filter "Priority: high" chosen', 'filter'],
        ['"Clear filters"', 'clear'],
        ['"Group by" priority (4 lanes)', 'group'],
        ['"Group by" none', 'ungroup'],
      ]) {
        const dom = summary(runs[key].map((r) => r.dom));
        const painted = summary(runs[key].map((r) => r.painted));
        log(`${size}: ${what}: DOM ${cell(dom)}, painted ${cell(painted)}`);
        rows.push([`${what} → board updated`, size, cell(dom), '≤ 16.7 ms', dom && dom.median <= FRAME_MS ? '✓' : '✗']);
        rows.push([`${what} → next frame painted`, size, cell(painted), '—', '']);
      }
    }
  } finally {
    await browser.close();
    child.kill();
  }
  const table = markdownTable(['Measure', 'Reqs', 'Median (min–max)', 'Target', 'Met'], rows);
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model;
  const out = `# Filters and lanes on large boards\n\nMeasured by \`node bench/planning.mjs\` (part of \`make bench\`) on ${model}, ${cpus().length} cores, headless Chromium, ${opts.runs} runs each. Each control is changed from a script in the page, as its \`change\` or \`click\` event; "board updated" is the end of the page's own work for that event, with the DOM showing the result (the chip, the lanes), which is the data changing and the board redrawn in one task; "painted" is the end of the frame after it, which includes waiting for the display's next frame. Long columns render only the cards in view, also inside lanes.\n\n${table}\n`;
  writeFileSync(join(BENCH, 'results-planning.md'), out);
  console.log(out);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
