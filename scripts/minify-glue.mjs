// Trunk post-build hook: minifies the JavaScript glue that wasm-bindgen writes, in the staging
// folder, and updates its subresource-integrity hash in index.html to match.
//
// Trunk's own minifier cannot parse this glue (it gives up with a warning and copies it as
// is), and the glue is a tenth of what the page transfers. Terser keeps every export and
// every property name, so the names the wasm imports stay as they are. Debug builds are left
// readable.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set; run it as a Trunk hook.');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');

for (const name of readdirSync(staging).filter((f) => f.endsWith('.js'))) {
  const path = join(staging, name);
  const original = readFileSync(path);
  const result = await minify(original.toString('utf8'), {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  writeFileSync(path, result.code);
  const before = integrity(original);
  if (index.includes(before)) index = index.replaceAll(before, integrity(Buffer.from(result.code)));
  console.log(`minify-glue: ${name} ${original.length} -> ${result.code.length} bytes`);
}
writeFileSync(indexPath, index);
