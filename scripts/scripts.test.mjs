// Tests of the build scripts (`node --test scripts/scripts.test.mjs`, run by `make size`):
// the size budget fails over its budget and on a missing build, and the glue minifier fails
// when it cannot rewrite the glue's integrity hash. Each runs the script as the build does, as
// a child process on a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPTS = dirname(fileURLToPath(import.meta.url));

function run(script, args, env = {}) {
  const r = spawnSync(process.execPath, [join(SCRIPTS, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, SIZE_BUDGET_KB: '', ...env },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'traceboard-scripts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fake build: random (incompressible) wasm of `wasmBytes`, a small glue, CSS and HTML. */
function fakeBuild(dir, wasmBytes) {
  writeFileSync(join(dir, 'app_bg.wasm'), randomBytes(wasmBytes));
  writeFileSync(join(dir, 'app.js'), 'export default function init() { return 1; }\n');
  writeFileSync(join(dir, 'app.css'), 'body { margin: 0; }\n');
  writeFileSync(
    join(dir, 'index.html'),
    `<link rel="stylesheet" href="./app.css"><script type="module">import init from './app.js'; init('./app_bg.wasm');</script>\n`,
  );
}

test('check-size passes within the budget and lists every file', (t) => {
  const dir = tempDir(t);
  fakeBuild(dir, 8 * 1024);
  const r = run('check-size.mjs', [dir, '--budget-kb', '20']);
  assert.equal(r.status, 0, r.err);
  for (const name of ['app_bg.wasm', 'app.js', 'app.css', 'index.html', 'total']) assert.match(r.out, new RegExp(name));
  assert.match(r.out, /budget 20 KB: .* to spare/);
});

test('check-size fails over the budget, from the argument and from SIZE_BUDGET_KB', (t) => {
  const dir = tempDir(t);
  fakeBuild(dir, 8 * 1024);
  const byArgument = run('check-size.mjs', [dir, '--budget-kb', '4']);
  assert.equal(byArgument.status, 1);
  assert.match(byArgument.out, /OVER by/);
  assert.match(byArgument.err, /over its budget of 4 KB/);
  assert.equal(run('check-size.mjs', [dir], { SIZE_BUDGET_KB: '4' }).status, 1);
});

test('check-size fails on a missing or incomplete build rather than pass it as small', (t) => {
  const dir = tempDir(t);
  assert.equal(run('check-size.mjs', [dir]).status, 2, 'an empty folder');
  fakeBuild(dir, 1024);
  rmSync(join(dir, 'app.js'));
  const r = run('check-size.mjs', [dir]);
  assert.equal(r.status, 2);
  assert.match(r.err, /names app\.js/);
});

const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
const GLUE = 'export function greet(name) {\n  // A comment terser drops.\n  const message = "hello " + name;\n  return message;\n}\n';

function staging(t, html) {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'app.js'), GLUE);
  writeFileSync(join(dir, 'index.html'), html);
  return dir;
}

const minifyGlue = (dir) => run('minify-glue.mjs', [], { TRUNK_STAGING_DIR: dir, TRUNK_PROFILE: 'release' });

test('minify-glue rewrites the glue and its integrity hash', (t) => {
  const dir = staging(t, `<link rel="modulepreload" href="./app.js" integrity="${sri(GLUE)}">\n`);
  const r = minifyGlue(dir);
  assert.equal(r.status, 0, r.err);
  const minified = readFileSync(join(dir, 'app.js'), 'utf8');
  assert.ok(minified.length < GLUE.length, 'the glue is smaller');
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.ok(index.includes(sri(minified)), 'index.html holds the minified file hash');
  assert.ok(!index.includes(sri(GLUE)), 'the old hash is gone');
});

test('minify-glue fails, and changes nothing, when index.html lacks the glue hash', (t) => {
  const stale = `<link rel="modulepreload" href="./app.js" integrity="${sri('something else')}">\n`;
  const dir = staging(t, stale);
  const r = minifyGlue(dir);
  assert.equal(r.status, 1);
  assert.match(r.err, /no integrity hash .* for app\.js/);
  assert.equal(readFileSync(join(dir, 'app.js'), 'utf8'), GLUE, 'the glue is left as it was');
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), stale, 'index.html is left as it was');
});

test('minify-glue fails when index.html does not name the glue, or there is none', (t) => {
  const unnamed = staging(t, `<link rel="modulepreload" href="./other.js" integrity="${sri(GLUE)}">\n`);
  assert.equal(minifyGlue(unnamed).status, 1);
  const empty = tempDir(t);
  writeFileSync(join(empty, 'index.html'), '<p>no glue</p>\n');
  const r = minifyGlue(empty);
  assert.equal(r.status, 1);
  assert.match(r.err, /glue is missing/);
});
