// Trunk post-build hook: minifies the JavaScript glue that wasm-bindgen writes, in the staging
// folder, and updates its subresource-integrity hash in index.html to match.
//
// Trunk's own minifier cannot parse this glue (it gives up with a warning and copies it as
// is), and the glue is a tenth of what the page transfers. Terser keeps every export and
// every property name, so the names the wasm imports stay as they are. Debug builds are left
// readable.
//
// The hook fails the build (exit status 1, with the reason) rather than ship a page the browser
// refuses: when there is no glue to minify, when index.html does not name a glue file, or when
// index.html carries integrity hashes but not the one of the glue as Trunk wrote it (a Trunk
// that hashes differently, or a page edited by hand), since the minified file would then fail
// its integrity check and the app would never start.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const fail = (message) => {
  console.error(`minify-glue: ${message}`);
  process.exit(1);
};

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set; run it as a Trunk hook.');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
// Trunk writes an integrity attribute on every asset unless told not to; with none at all,
// there is no hash to keep in step and the minified file loads as it is.
const checked = index.includes('integrity=');

const scripts = readdirSync(staging).filter((f) => f.endsWith('.js'));
if (scripts.length === 0) fail(`no .js file in ${staging}: the wasm-bindgen glue is missing`);

// Minify and check every file first, and write nothing until all of them can be rewritten, so
// a failed build leaves no half-rewritten staging folder behind.
const rewritten = [];
for (const name of scripts) {
  if (!index.includes(name)) fail(`index.html does not name ${name}; cannot tell which hash to rewrite`);
  const original = readFileSync(join(staging, name));
  const result = await minify(original.toString('utf8'), {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (typeof result.code !== 'string' || result.code.length === 0) fail(`terser returned nothing for ${name}`);
  const before = integrity(original);
  const after = integrity(Buffer.from(result.code));
  if (checked) {
    if (!index.includes(before)) {
      fail(
        `index.html has no integrity hash ${before} for ${name} (as Trunk wrote it), so the hash ` +
          'of the minified file cannot replace it and the browser would refuse the glue. ' +
          'Did Trunk change how it hashes (see data-integrity in index.html)?',
      );
    }
    index = index.replaceAll(before, after);
    if (index.includes(before) || !index.includes(after)) fail(`rewriting the integrity hash of ${name} failed`);
  }
  rewritten.push({ name, code: result.code, from: original.length });
}
for (const { name, code, from } of rewritten) {
  writeFileSync(join(staging, name), code);
  console.log(`minify-glue: ${name} ${from} -> ${code.length} bytes`);
}
writeFileSync(indexPath, index);
