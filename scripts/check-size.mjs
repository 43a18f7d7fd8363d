// The page's size budget (`make size`, run by `make test` after the release build): sums the
// gzip -9 size of every file the page can transfer from the built folder (each .wasm, .js,
// .css and .html, in subfolders too), prints each file and the total against the budget, and
// exits with status 1 when the total is over it. 1 KB = 1,024 bytes.
//
// Usage: node scripts/check-size.mjs [DIR] [--budget-kb KB]
//   DIR           the built app (default dist)
//   --budget-kb   the budget in KB (default: $SIZE_BUDGET_KB, else 525)
// Exit status: 0 within the budget, 1 over it, 2 when DIR holds no complete build (no
// index.html, no .wasm, or a file index.html names is missing), so a missing build never
// passes as a small one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const DEFAULT_BUDGET_KB = 525;
const KB = 1024;
const SHIPPED = /\.(wasm|js|css|html)$/;

function parseArgs(argv) {
  const opts = { dir: 'dist', budgetKb: Number(process.env.SIZE_BUDGET_KB || DEFAULT_BUDGET_KB) };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--budget-kb') opts.budgetKb = Number(argv[++i]);
    else if (argv[i].startsWith('-')) usage(`unknown option ${argv[i]}`);
    else opts.dir = argv[i];
  }
  if (!(opts.budgetKb > 0)) usage('the budget must be a positive number of KB');
  return opts;
}

function usage(message) {
  console.error(`check-size: ${message}\nusage: node scripts/check-size.mjs [DIR] [--budget-kb KB]`);
  process.exit(2);
}

/** Every shipped file under `dir`, as paths relative to it, in a stable order. */
function shippedFiles(dir, under = dir) {
  const out = [];
  for (const name of readdirSync(under).sort()) {
    const path = join(under, name);
    // Trunk's staging folder is a build in progress, not part of the page.
    if (name === '.stage') continue;
    if (statSync(path).isDirectory()) out.push(...shippedFiles(dir, path));
    else if (SHIPPED.test(name)) out.push(relative(dir, path));
  }
  return out;
}

const { dir, budgetKb } = parseArgs(process.argv.slice(2));
const root = resolve(dir);
if (!existsSync(join(root, 'index.html'))) usage(`${dir} has no index.html: build it first (make dist)`);
const files = shippedFiles(root);
if (!files.some((f) => f.endsWith('.wasm'))) usage(`${dir} has no .wasm file: build it first (make dist)`);
const html = readFileSync(join(root, 'index.html'), 'utf8');
// Quoted names ('./app.js') and the unquoted attributes of minified HTML (href=./app.css).
const named = [...html.matchAll(/['"=]\.?\/?([^'"\s?#:<>=]+\.(?:js|wasm|css))(?=['"\s>])/g)].map((m) => m[1]);
const missing = named.filter((f) => !files.includes(f));
if (missing.length > 0) usage(`index.html names ${missing.join(', ')}, which ${dir} does not hold`);

const rows = files.map((name) => {
  const bytes = readFileSync(join(root, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const total = rows.reduce((sum, r) => sum + r.gzip, 0);
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
const width = Math.max(...rows.map((r) => r.name.length), 5);
for (const r of rows) console.log(`${r.name.padEnd(width)}  ${kb(r.raw).padStart(10)}  ${kb(r.gzip).padStart(10)} gzipped`);
const over = total > budgetKb * KB;
console.log(
  `${'total'.padEnd(width)}  ${''.padStart(10)}  ${kb(total).padStart(10)} gzipped, budget ${budgetKb} KB: ` +
    (over ? `OVER by ${kb(total - budgetKb * KB)}` : `${kb(budgetKb * KB - total)} to spare`),
);
if (over) {
  console.error(`check-size: the page transfers ${kb(total)} gzipped, over its budget of ${budgetKb} KB`);
  process.exit(1);
}
