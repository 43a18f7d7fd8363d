// What the browser benchmarks share (details.mjs, planning.mjs, flow.mjs): their options and
// a static server for the built page on a free port.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `--name value` options over `defaults`: a list default takes comma-separated numbers, a
 * number default a number, and `--dist` a path; an option with no default is refused.
 */
export function options(argv, defaults) {
  const opts = { dist: join(ROOT, 'dist'), ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    const value = argv[++i];
    if (!(name in opts) || value === undefined) throw new Error(`unknown option ${argv[i - 1]}`);
    const was = opts[name];
    opts[name] = Array.isArray(was) ? value.split(',').map(Number) : typeof was === 'number' ? Number(value) : resolve(value);
  }
  return opts;
}

/** Serves `root` (the built page) on a free local port until `child` is killed. */
export async function serve(root) {
  const port = await new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
  const child = spawn(process.execPath, [join(ROOT, 'tests/e2e/serve.mjs'), root, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((ok, fail) => {
    child.stdout.on('data', (d) => String(d).includes('serving') && ok());
    child.on('exit', (code) => fail(new Error(`static server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/` };
}

/**
 * A new browser context showing the page at `url` with `file` imported through the file
 * input (the File System Access API taken away, as Playwright cannot drive it), once its
 * first card is drawn and the page has settled. Returns the context and its page.
 */
export async function openBoard(browser, url, file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => delete window.showOpenFilePicker);
  const page = await context.newPage();
  await page.goto(url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles(file);
  await page.locator('.card').first().waitFor({ timeout: 120_000 });
  await page.waitForTimeout(800);
  return { context, page };
}
