// Turns the benchmark's samples into the results table: medians with their spread, the ratio
// of Traceboard to the plain-JavaScript baseline, and each target met (✓) or missed (✗).
// Pure functions of the collected data; run.mjs prints and saves what they return.

/** Median, min and max of a list of numbers (null for an empty list). */
export function summary(samples) {
  const xs = samples.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], n: xs.length };
}

const ms = (v) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const mb = (v) => (v / 1048576).toFixed(1);
const kb = (v) => (v / 1024).toFixed(1);
const count = (v) => Math.round(v).toLocaleString('en-US');

/** "12.3 ms (11.0–14.2)", or "12.3 ms" for a single sample, "—" for none. */
function cell(s, format, unit) {
  if (!s) return '—';
  const spread = s.n > 1 ? ` (${format(s.min)}–${format(s.max)})` : '';
  return `${format(s.median)} ${unit}${spread}`;
}

/**
 * The rows of the main table. `results[size][app]` holds the samples per measure, `transfer`
 * the gzipped sizes. Each row: measure, size, Traceboard, baseline, ratio, target, met.
 */
export function tableRows(results, sizes, transfer) {
  const rows = [];
  const pick = (size, app, key) => summary(results[size]?.[app]?.[key] ?? []);
  const timed = [
    ['Import: file chosen → board painted and taking input', 'import', importTarget],
    ['Move: pointerup → card in new column (DOM)', 'moveDom', moveTarget('moveDom')],
    ['Move: pointerup → next frame painted', 'movePainted', moveTarget('movePainted')],
    ['Export, unchanged board: click → bytes ready', 'exportSame', exportTarget],
    ['Export after the moves: click → bytes ready', 'exportMoved', exportTarget],
  ];
  for (const [label, key, target] of timed) {
    for (const size of sizes) {
      const tb = pick(size, 'traceboard', key);
      const bl = pick(size, 'baseline', key);
      const ratio = tb && bl && bl.median > 0 ? tb.median / bl.median : null;
      const t = target(size, tb, ratio);
      rows.push([label, count(size), cell(tb, ms, 'ms'), cell(bl, ms, 'ms'), ratio === null ? '—' : `${ratio.toFixed(2)}×`, t.text, t.met]);
    }
  }
  for (const size of sizes) {
    const tb = pick(size, 'traceboard', 'memoryTotal');
    const met = size === 10000 && tb ? (tb.median <= 60 * 1048576 ? '✓' : '✗') : '';
    rows.push(['Memory after import: JS heap + wasm memory', count(size), cell(tb, mb, 'MB'), cell(pick(size, 'baseline', 'memoryTotal'), mb, 'MB'), '—', size === 10000 ? '≤ 60 MB' : '', met]);
  }
  for (const [label, key] of [
    ['… of which V8 JS heap (JSHeapUsedSize, after GC)', 'jsHeap'],
    ['… of which WebAssembly linear memory', 'wasmMemory'],
  ]) {
    for (const size of sizes) {
      rows.push([label, count(size), cell(pick(size, 'traceboard', key), mb, 'MB'), cell(pick(size, 'baseline', key), mb, 'MB'), '—', '', '']);
    }
  }
  for (const size of sizes) {
    const tb = pick(size, 'traceboard', 'domNodes');
    const bl = pick(size, 'baseline', 'domNodes');
    rows.push(['DOM nodes after import', count(size), tb ? count(tb.median) : '—', bl ? count(bl.median) : '—', tb && bl ? `${(tb.median / bl.median).toFixed(2)}×` : '—', '', '']);
  }
  const tbTotal = transfer.traceboard.reduce((a, f) => a + f.gzip, 0);
  const blTotal = transfer.baseline.reduce((a, f) => a + f.gzip, 0);
  rows.push(['Transfer, gzip -9 (wasm + JS + CSS + HTML)', '—', `${kb(tbTotal)} KB`, `${kb(blTotal)} KB`, `${(tbTotal / blTotal).toFixed(1)}×`, '≤ 250 KB', tbTotal <= 250 * 1024 ? '✓' : '✗']);
  return rows;
}

function importTarget(size, tb, ratio) {
  if (size === 1000) return { text: '≤ 1.5× baseline', met: ratio === null ? '?' : ratio <= 1.5 ? '✓' : '✗' };
  if (size === 10000) return { text: '≤ 1.0× baseline', met: ratio === null ? '?' : ratio <= 1.0 ? '✓' : '✗' };
  return { text: '', met: '' };
}

function moveTarget(key) {
  // The 16 ms target is for the frame the user sees the card land in.
  if (key !== 'movePainted') return () => ({ text: '', met: '' });
  return (size, tb) => ({ text: '≤ 16 ms', met: tb ? (tb.median <= 16 ? '✓' : '✗') : '?' });
}

function exportTarget(size, tb) {
  if (size !== 10000) return { text: '', met: '' };
  return { text: '≤ 200 ms', met: tb ? (tb.median <= 200 ? '✓' : '✗') : '?' };
}

/** A markdown table from a header and rows. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const MAIN_HEADER = ['Measure', 'Requirements', 'Traceboard median (min–max)', 'Baseline median (min–max)', 'Ratio TB/baseline', 'Target', 'Met'];

/** The per-file transfer table. */
export function transferRows(transfer) {
  const rows = [];
  for (const [app, files] of Object.entries(transfer)) {
    for (const f of files) rows.push([app, f.name, `${kb(f.raw)} KB`, `${kb(f.gzip)} KB`]);
    const raw = files.reduce((a, f) => a + f.raw, 0);
    const gz = files.reduce((a, f) => a + f.gzip, 0);
    rows.push([app, '**total**', `${kb(raw)} KB`, `**${kb(gz)} KB**`]);
  }
  return rows;
}
