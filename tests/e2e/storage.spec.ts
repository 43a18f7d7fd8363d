// Storage that never fails silently: the page works with storage blocked, a failed save says
// so and a reload never presents an older save as current, large boards are kept, and two
// tabs on the same board never lose a move silently.
import { expect, test, type Page } from '@playwright/test';
import { card, column, fixture, importMatrix, STAGES } from './helpers';

const live = (page: Page) => page.locator('[aria-live=polite]');
const savedNote = (page: Page) => page.locator('.saved-note');
const alertWith = (page: Page, text: string | RegExp) => page.getByRole('alert').filter({ hasText: text });

/** Moves a card with its "Move to…" menu, as a person who does not drag does. */
async function moveWithMenu(page: Page, id: string, to: (typeof STAGES)[number]) {
  await page.getByRole('button', { name: `Move ${id} to…` }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: to, exact: true }).click();
}

/** A matrix of `count` requirements in Backlog, each with `filler` in its text. */
function matrix(count: number, filler: string): Buffer {
  const requirements = Array.from({ length: count }, (_, i) => ({
    id: `REQ-${String(i).padStart(5, '0')}`,
    ears: `WHEN request ${i} arrives THE SYSTEM SHALL answer it. ${filler}`,
    tests: [`tests/test_${i}.py`],
    tdd_stage: 'backlog',
  }));
  return Buffer.from(JSON.stringify({ requirements }, null, 2));
}

async function importBuffer(page: Page, name: string, buffer: Buffer) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer });
}

/** Moves a card of a long (virtualised) column: search finds it, its menu moves it. */
async function searchAndMove(page: Page, id: string, to: (typeof STAGES)[number]) {
  await page.getByRole('searchbox', { name: 'Search cards' }).fill(id);
  await expect(card(page, id)).toBeVisible();
  await moveWithMenu(page, id, to);
  await expect(card(column(page, to), id)).toBeVisible();
}

/** Makes IndexedDB writes throw as a full disk does, while `window.failWrites` is set. */
const failableWrites = () => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
    if ((window as unknown as { failWrites?: boolean }).failWrites) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return put.apply(this, args);
  };
};

test('with storage blocked the example board opens, works, and the page says work will not be kept', async ({ page }) => {
  // As Chromium does when site data is blocked: reading either property throws.
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'indexedDB']) {
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          throw new DOMException(`Failed to read the '${name}' property from 'Window': Access is denied for this document.`, 'SecurityError');
        },
      });
    }
  });
  await page.goto('/');
  const note = /work will not be kept in this browser/;
  await expect(live(page)).toHaveText(note);
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  await moveWithMenu(page, 'REQ-004', 'Backlog');
  await expect(card(column(page, 'Backlog'), 'REQ-004')).toBeVisible();
  // The note stays where the file is named, after the change autosave could not keep.
  await expect(savedNote(page)).toHaveText(note);
  await expect(page.getByRole('banner').getByText('traceability_matrix.json', { exact: true })).toBeVisible();
});

test('a 3.9 MB matrix that grows past 5 MB when saved is not rolled back to an older save on reload', async ({ page }) => {
  // Quotes double when the matrix text is escaped into the save: more than localStorage held,
  // though under the 4 MB the old gate measured, so the older save came back as if current.
  const buffer = matrix(6800, `say ${'"'.repeat(200)}`);
  expect(buffer.length).toBeGreaterThan(3_800_000);
  expect(buffer.length).toBeLessThan(4 * 1024 * 1024);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/);
  await importBuffer(page, 'quoted.json', buffer);
  await expect(page.getByRole('status')).toContainText('Imported 6800 requirements');
  await searchAndMove(page, 'REQ-06799', 'Test written');
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/, { timeout: 20_000 });
  await page.reload();
  await expect(savedNote(page)).toHaveText(/Restored from this browser, saved \d\d:\d\d/, { timeout: 20_000 });
  await expect(page.getByRole('banner').getByText('quoted.json', { exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search cards' }).fill('REQ-06799');
  await expect(card(column(page, 'Test written'), 'REQ-06799')).toBeVisible();
});

test('a save that fails says so, and a reload does not present the older save as current', async ({ page }) => {
  await page.addInitScript(failableWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/);

  await page.evaluate(() => ((window as unknown as { failWrites: boolean }).failWrites = true));
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
  await expect(alertWith(page, "Not saved in this browser: this browser's storage for the page is full")).toBeVisible();
  await expect(savedNote(page)).toHaveText(/^Not saved: /);

  // After a reload the older save comes back, and says plainly that it is older than the work.
  await page.reload();
  await expect(card(column(page, 'Red'), 'REQ-003')).toBeVisible();
  await expect(alertWith(page, /Later changes were not saved in this browser: this board is as it was saved at \d\d:\d\d/)).toBeVisible();
  await expect(savedNote(page)).toHaveText(/later changes were not saved/);
  await expect(page.getByText(/Restored from this browser, saved/)).toHaveCount(0);
});

test('two tabs: one follows the other live; with unsaved changes it is told and does not overwrite', async ({ context }) => {
  await context.addInitScript(failableWrites);
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto('/');
  await importMatrix(a, fixture('journey_python.json'));
  await expect(savedNote(a)).toHaveText(/Saved in this browser/);
  await b.goto('/');
  await expect(card(column(b, 'Red'), 'REQ-003')).toBeVisible();

  // A move in A shows up in B, which had nothing unsaved.
  await moveWithMenu(a, 'REQ-003', 'Green');
  await expect(savedNote(a)).toHaveText(/Saved in this browser/);
  await expect(card(column(b, 'Green'), 'REQ-003')).toBeVisible();
  await expect(savedNote(b)).toHaveText(/Updated from another tab, saved \d\d:\d\d; undo history cleared/);

  // A has a change it could not save; then B moves and saves.
  await a.evaluate(() => ((window as unknown as { failWrites: boolean }).failWrites = true));
  await moveWithMenu(a, 'REQ-001', 'Test written');
  await expect(savedNote(a)).toHaveText(/^Not saved: /);
  await a.evaluate(() => ((window as unknown as { failWrites: boolean }).failWrites = false));
  await moveWithMenu(b, 'REQ-004', 'Reviewed');
  await expect(savedNote(b)).toHaveText(/Saved in this browser/);

  // A is told, keeps its own change on screen, and does not overwrite B's save.
  const conflict = alertWith(a, 'This board changed in another tab');
  await expect(conflict).toBeVisible();
  await expect(card(column(a, 'Test written'), 'REQ-001')).toBeVisible();
  await expect(card(column(a, 'Green'), 'REQ-004')).toBeVisible();
  await moveWithMenu(a, 'REQ-005', 'Test written');
  await expect(savedNote(a)).toHaveText('Not saved: this board changed in another tab');
  await b.reload();
  await expect(card(column(b, 'Reviewed'), 'REQ-004')).toBeVisible();
  await expect(card(column(b, 'Backlog'), 'REQ-001')).toBeVisible();

  // A asks for the newer board and gets it.
  await conflict.getByRole('button', { name: 'Load the newer board' }).click();
  await expect(card(column(a, 'Reviewed'), 'REQ-004')).toBeVisible();
  await expect(card(column(a, 'Backlog'), 'REQ-001')).toBeVisible();
  await expect(conflict).toBeHidden();
});

test('a 10 MB matrix, moved and reloaded, comes back with the move', async ({ page }) => {
  test.setTimeout(120_000);
  const buffer = matrix(20_000, 'It keeps a record of every answer for the audit trail. '.repeat(8));
  expect(buffer.length).toBeGreaterThan(10_000_000);
  await page.goto('/');
  await importBuffer(page, 'ten_megabytes.json', buffer);
  await expect(page.getByRole('status')).toContainText('Imported 20000 requirements', { timeout: 30_000 });
  await searchAndMove(page, 'REQ-12345', 'Test written');
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d, \d+\.\d MB/, { timeout: 30_000 });
  await page.reload();
  await expect(savedNote(page)).toHaveText(/Restored from this browser, saved \d\d:\d\d/, { timeout: 30_000 });
  await page.getByRole('searchbox', { name: 'Search cards' }).fill('REQ-12345');
  await expect(card(column(page, 'Test written'), 'REQ-12345')).toBeVisible();
  await expect(column(page, 'Test written').locator('.count')).toHaveText('1');
});

test('a reload right after a move keeps the move: the write starts when the page is left', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await page.reload();
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
  await expect(savedNote(page)).toHaveText(/Restored from this browser, saved \d\d:\d\d/);
});

test('a board saved in localStorage by an earlier version moves into IndexedDB once', async ({ page }) => {
  await page.goto('/');
  const matrix = JSON.stringify({ requirements: [{ id: 'OLD-1', tests: ['t.py'], tdd_stage: 'red' }] });
  await page.evaluate((matrix) => {
    const saved = { file_name: 'old.json', saved_at: '2026-11-28T09:30:00.000Z', matrix, agents: [], owners: [null, null, null, null, null] };
    localStorage.setItem('traceboard.board.v1', JSON.stringify(saved));
  }, matrix);
  await page.reload();
  await expect(card(column(page, 'Red'), 'OLD-1')).toBeVisible();
  await expect(page.getByRole('banner').getByText('old.json', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('traceboard.board.v1'))).toBeNull();
  // The next load reads it from IndexedDB.
  await page.reload();
  await expect(card(column(page, 'Red'), 'OLD-1')).toBeVisible();
});

test('a corrupt save in IndexedDB is kept aside and the user told', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const opening = indexedDB.open('traceboard', 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore('saves');
        opening.onsuccess = () => {
          const tx = opening.result.transaction('saves', 'readwrite');
          tx.objectStore('saves').put({ json: '{"file_name": 3' }, 'board');
          tx.objectStore('saves').put(1, 'generation');
          tx.objectStore('saves').put(1, 'current');
          tx.oncomplete = () => {
            opening.result.close();
            resolve();
          };
          tx.onabort = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(alertWith(page, 'could not be read')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
  const kept = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const opening = indexedDB.open('traceboard', 1);
        opening.onsuccess = () => {
          const read = opening.result.transaction('saves').objectStore('saves').get('unreadable');
          read.onsuccess = () => resolve(read.result);
        };
      }),
  );
  expect(kept).toBe('{"file_name": 3');
});

test('a board opened before the save arrives stays, and the person is told the save was not restored', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/');
  await importMatrix(first, fixture('journey_python.json'));
  await expect(savedNote(first)).toHaveText(/Saved in this browser/);
  // A transaction that lasts until released holds the store, so the next page's read waits.
  await first.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const opening = indexedDB.open('traceboard', 1);
        opening.onsuccess = () => {
          const store = opening.result.transaction('saves', 'readwrite').objectStore('saves');
          const spin = () => {
            if (!(window as unknown as { release?: boolean }).release) store.get('generation').onsuccess = spin;
          };
          spin();
          resolve();
        };
      }),
  );
  const second = await context.newPage();
  await second.goto('/');
  await second.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(column(second, 'Green'), 'REQ-008')).toBeVisible();
  await first.evaluate(() => ((window as unknown as { release: boolean }).release = true));
  await expect(second.getByRole('status')).toContainText('was not restored, because you opened another first');
  await expect(savedNote(second)).toHaveText(/Saved in this browser/);
  await expect(second.getByRole('banner').getByText('traceability_matrix.json', { exact: true })).toBeVisible();
  await second.reload();
  await expect(card(column(second, 'Green'), 'REQ-008')).toBeVisible();
});
