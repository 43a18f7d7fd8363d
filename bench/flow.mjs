// The Flow view on a large board (issue 15): a board of 10,000 requirements whose histories
// hold 50,000 steps in all, imported; then a click on "Flow" until the three charts are in the
// DOM, and until the next frame is painted (target: under 200 ms). Run by `make bench`, or alone:
//   node bench/flow.mjs [--size 10000] [--runs 7] [--dist dist]
// Writes bench/results-flow.md. A benchmark, not a test: it fails only when the harness does.
// The board is the one `core/examples/flow_time.rs` times natively.

import { chromium } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium.mjs';
import { markdownTable, summary } from './report.mjs';
import { openBoard, options, serve } from './harness.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const log = (...args) => console.error('[bench flow]', ...args);

const DAY = 86_400_000;
const iso = (day) => new Date(day * DAY).toISOString().slice(0, 10);

/** Five steps per card over the year before 2026-11-29, as flow_time.rs writes them. */
export function flowMatrix(size) {
  const start = Date.UTC(2025, 11, 1) / DAY;
  const paths = [
    [['backlog', 'test_written'], ['test_written', 'red'], ['red', 'green'], ['green', 'red'], ['red', 'green']],
    [['backlog', 'test_written'], ['test_written', 'red'], ['red', 'green'], ['green', 'reviewed'], ['reviewed', 'red']],
    [['test_written', 'backlog'], ['backlog', 'test_written'], ['test_written', 'red'], ['red', 'green'], ['green', 'reviewed']],
  ];
  const requirements = [];
  for (let i = 0; i < size; i++) {
    const first = start + ((i * 7) % 300);
    const gap = 1 + (i % 6);
    const path = paths[i % 3];
    requirements.push({
      id: `REQ-${String(i).padStart(5, '0')}`,
      ears: `When event ${i} happens, the system shall respond within two seconds.`,
      tdd_stage: path[4][1],
      tests: [`tests/test_${i}.py`],
      code: [`src/f_${i}.py`],
      tdd_history: path.map(([from, to], k) => ({
        from,
        to,
        at: `${iso(first + gap * k)}T${String(8 + k).padStart(2, '0')}:00:00Z`,
        by: 'agent',
      })),
    });
  }
  return JSON.stringify({ requirements }, null, 2);
}

/** Click on "Flow" → the three charts in the DOM, and the frame after painted. */
async function openOnce(page) {
  await page.evaluate(() => {
    window.__flow = new Promise((done) => {
      let start = null;
      addEventListener('pointerup', () => (start = performance.now()), { capture: true, once: true });
      const ready = () => start !== null && document.querySelectorAll('section.flow figure svg circle').length > 0
        && document.querySelectorAll('section.flow figure').length === 3;
      new MutationObserver((_, obs) => {
        if (ready()) {
          obs.disconnect();
          const dom = performance.now();
          const points = document.querySelectorAll('section.flow circle').length;
          requestAnimationFrame(() => setTimeout(() => done({ dom: dom - start, painted: performance.now() - start, points })));
        }
      }).observe(document.body, { subtree: true, childList: true });
    });
  });
  await page.getByRole('button', { name: 'Flow', exact: true }).click();
  const r = await page.evaluate(() => window.__flow);
  // Back to the board, so the next click draws the view anew.
  await page.getByRole('button', { name: 'Flow', exact: true }).click();
  await page.locator('section.flow').waitFor({ state: 'detached' });
  return r;
}

async function main() {
  const opts = options(process.argv.slice(2), { size: 10000, runs: 7 });
  const work = mkdtempSync(join(tmpdir(), 'traceboard-flow-'));
  const file = join(work, `flow${opts.size}.json`);
  writeFileSync(file, flowMatrix(opts.size));
  const { child, url } = await serve(opts.dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const dom = [];
  const painted = [];
  let points = 0;
  try {
    const { context, page } = await openBoard(browser, url, file);
    for (let i = 0; i < opts.runs; i++) {
      const r = await openOnce(page);
      dom.push(r.dom);
      painted.push(r.painted);
      points = r.points;
      log(`${opts.size}: Flow drawn: DOM ${r.dom.toFixed(1)} ms, painted ${r.painted.toFixed(1)} ms`);
    }
    await context.close();
  } finally {
    await browser.close();
    child.kill();
  }
  const cell = (s) => (s ? `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '—');
  const d = summary(dom);
  const p = summary(painted);
  const rows = [
    ['Click "Flow" → three charts in the DOM', opts.size, cell(d), '< 200 ms', d && d.median < 200 ? '✓' : '✗'],
    ['Click "Flow" → next frame painted', opts.size, cell(p), '< 200 ms', p && p.median < 200 ? '✓' : '✗'],
  ];
  const table = markdownTable(['Measure', 'Reqs', 'Median (min–max)', 'Target', 'Met'], rows);
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model;
  const out = `# The Flow view on a large board\n\nMeasured by \`node bench/flow.mjs\` (part of \`make bench\`) on ${model}, ${cpus().length} cores, headless Chromium, ${opts.runs} runs. The board: ${opts.size.toLocaleString('en')} requirements with five history steps each (${(opts.size * 5).toLocaleString('en')} in all; a third move back from Green to Red, a third regress after review, a third are pulled back to Backlog once). "Click" is the pointerup on the toolbar's "Flow"; "in the DOM" is when a MutationObserver first sees the three charts with their points (reading every history, the three charts' numbers and the markup, done); "painted" is the end of the frame after it (style, layout and paint included). The cycle-time and aging charts draw ${points.toLocaleString('en')} points: cards on one spot (the same day and value) share one..\n\n${table}\n`;
  writeFileSync(join(BENCH, 'results-flow.md'), out);
  console.log(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
