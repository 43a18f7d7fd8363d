// Shared steps of the end-to-end specs: find things the way a user and a screen reader do.
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixture = (name: string) => join(__dirname, 'fixtures', name);
export const readFixture = (name: string) => readFileSync(fixture(name), 'utf8');

export const STAGES = ['Backlog', 'Test written', 'Red', 'Green', 'Reviewed'] as const;

export function column(page: Page, title: (typeof STAGES)[number]): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** A card, found by its accessible name, which starts with the requirement id. */
export function card(scope: Page | Locator, id: string): Locator {
  return scope.getByRole('button', { name: new RegExp(`^${id}\\b`) });
}

/** The polite live region where moves are announced. */
export const live = (page: Page) => page.locator('[aria-live=polite]');

/** The note by the file name that says whether and when the board was saved. */
export const savedNote = (page: Page) => page.locator('.saved-note');

/** Moves a card with its "Move to…" menu, as a person who does not drag does. */
export async function moveWithMenu(page: Page, id: string, to: (typeof STAGES)[number]) {
  await page.getByRole('button', { name: `Move ${id} to…` }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: to, exact: true }).click();
}

/**
 * A button of the toolbar's "File" menu, where the rarer actions are (Open project folder,
 * Import agents, Import agents folder, Copy matrix, Close board), with the menu opened first.
 */
export async function fileAction(page: Page, name: string): Promise<Locator> {
  const toggle = page.getByRole('button', { name: 'File', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return page.getByRole('button', { name, exact: true });
}

/**
 * Makes "Import matrix" open the browser's file input, as where the File System Access API
 * is missing: Playwright cannot drive `showOpenFilePicker`. The journeys of a linked file are
 * in linked_file.spec.ts, which gives the page a private file instead.
 */
export async function withoutFilePicker(page: Page) {
  await page.evaluate(() => {
    delete (window as any).showOpenFilePicker;
  });
}

export async function importMatrix(page: Page, file: string) {
  await withoutFilePicker(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles(file);
}

/** Drags with the real mouse, in small steps, as a person does. */
export async function dragWithMouse(page: Page, source: Locator, target: Locator) {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('drag source or target is not visible');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 4, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 120), { steps: 12 });
  await page.mouse.up();
}

export async function download(page: Page): Promise<{ name: string; text: string }> {
  const waiting = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export matrix' }).click();
  const file = await waiting;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

export async function expectCardIn(page: Page, id: string, title: (typeof STAGES)[number]) {
  await expect(card(column(page, title), id)).toBeVisible();
}

/**
 * Waits until no CSS transition or animation is running (after a colour-scheme change, say).
 * `document.getAnimations()` brings styles up to date first, so a transition that a change
 * has just started is seen. With reduced motion emulated there are none and this returns at
 * once; without it, this waits for them to end rather than for a guessed time.
 */
export async function settled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

/**
 * Records every text any `aria-live` region shows, in order, in `window.__liveMessages`,
 * from the first script of the page on (install it before `page.goto`). It reads the mutation
 * records themselves (old text, removed and added nodes), so a message replaced within the
 * same task is kept too, unlike a look at the region's last text.
 */
export async function recordLiveMessages(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __liveMessages: string[] }).__liveMessages = seen;
    const keep = (text: string | null | undefined) => {
      const t = (text ?? '').trim();
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    };
    const regionOf = (node: Node) => (node instanceof Element ? node : node.parentElement)?.closest('[aria-live]');
    new MutationObserver((records) => {
      for (const r of records) {
        const region = regionOf(r.target);
        if (!region) continue;
        if (r.type === 'characterData') keep(r.oldValue);
        r.removedNodes.forEach((n) => keep(n.textContent));
        r.addedNodes.forEach((n) => keep(n.textContent));
        keep(region.textContent);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
  });
}

/** Every message the live regions have shown since the page loaded (see recordLiveMessages). */
export async function liveMessages(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __liveMessages: string[] }).__liveMessages]);
}

type Timer = { delay: number; done: boolean };
type TimerWindow = { __timers: Timer[] | null };

/**
 * From now until `timersSettled`, keeps track of the page's timers (`setTimeout` with a delay):
 * the app's own, such as the long-press timer a touch starts. It wraps `window.setTimeout` and
 * `clearTimeout`, which the app reaches through the window object.
 */
export async function watchTimers(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as TimerWindow & typeof window;
    w.__timers = [];
    const ids = new Map<number, Timer>();
    const set = w.setTimeout;
    const clear = w.clearTimeout;
    w.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
      const timer: Timer = { delay: Number(delay) || 0, done: false };
      if (typeof handler !== 'function' || timer.delay === 0 || !w.__timers) return set(handler, delay, ...args);
      w.__timers.push(timer);
      const id = set(
        (...a: unknown[]) => {
          try {
            return (handler as (...x: unknown[]) => unknown)(...a);
          } finally {
            timer.done = true;
          }
        },
        delay,
        ...args,
      );
      ids.set(id, timer);
      return id;
    }) as typeof setTimeout;
    w.clearTimeout = ((id?: number) => {
      const timer = id === undefined ? undefined : ids.get(id);
      if (timer) timer.done = true;
      clear(id);
    }) as typeof clearTimeout;
  });
}

/**
 * Waits until every timer started since `watchTimers` has run or been cleared (at least one
 * must have been started, or there was nothing to wait for), then for the next frame, so what
 * they changed is on screen.
 */
export async function timersSettled(page: Page) {
  await page.waitForFunction(() => {
    const timers = (window as unknown as TimerWindow).__timers;
    return !!timers && timers.length > 0 && timers.every((t) => t.done);
  });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
}

/** Two tabs on the journey board: A imported and saved it, B restored it. */
export async function twoTabs(context: BrowserContext) {
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto('/');
  await importMatrix(a, fixture('journey_python.json'));
  await expect(savedNote(a)).toHaveText(/Saved in this browser/);
  await b.goto('/');
  await expect(card(column(b, 'Red'), 'REQ-003')).toBeVisible();
  return { a, b };
}

/** Writes `text` to the origin private file `path` (folders created), as an agent would. */
export async function writeFile(page: Page, path: string, text: string) {
  await page.evaluate(
    async ({ path, text }) => {
      let dir = await navigator.storage.getDirectory();
      const parts = path.split('/');
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
      const handle = await dir.getFileHandle(parts[parts.length - 1], { create: true });
      const writable = await handle.createWritable();
      await writable.write(text);
      await writable.close();
    },
    { path, text },
  );
}

export async function readFile(page: Page, path: string): Promise<string> {
  return page.evaluate(async (path) => {
    let dir = await navigator.storage.getDirectory();
    const parts = path.split('/');
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
    const file = await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
    return file.text();
  }, path);
}

/** Empties the origin private file system, so a spec starts with no file of another's. */
export async function clearPrivateFiles(page: Page) {
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    for await (const name of (root as any).keys()) await root.removeEntry(name, { recursive: true });
  });
}

/**
 * Links the private file `name` holding `text`, as "Import matrix" does with the browser's
 * picker: Playwright cannot drive `showOpenFilePicker`, so it returns the private file's handle.
 */
export async function linkPrivateFile(page: Page, name: string, text: string) {
  await clearPrivateFiles(page);
  await writeFile(page, name, text);
  await page.evaluate(async (name) => {
    const handle = await (await navigator.storage.getDirectory()).getFileHandle(name);
    (window as any).showOpenFilePicker = async () => [handle];
  }, name);
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await expect(page.locator('.link-status')).toContainText(`Linked to ${name}`);
}
