// Storage that never fails silently: the page works with storage blocked, a failed save says
// so and a reload never presents an older save as current, large boards are kept, and two
// tabs on the same board never lose a move silently.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { card, column, fixture, importMatrix, live, moveWithMenu, savedNote, STAGES, twoTabs, withoutFilePicker } from './helpers';

const alertWith = (page: Page, text: string | RegExp) => page.getByRole('alert').filter({ hasText: text });

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
  await withoutFilePicker(page);
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

/** Makes IndexedDB writes fail later, as an aborted transaction does, while `window.abortWrites` is set. */
const abortableWrites = () => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
    const request = put.apply(this, args);
    if ((window as unknown as { abortWrites?: boolean }).abortWrites) {
      const tx = this.transaction;
      queueMicrotask(() => tx.abort());
    }
    return request;
  };
};

/** Counts the write transactions the page starts and sees end, in `window.writesStarted` and `writesEnded`. */
const countWrites = () => {
  const transaction = IDBDatabase.prototype.transaction;
  const counted = window as unknown as { writesStarted: number; writesEnded: number };
  counted.writesStarted = 0;
  counted.writesEnded = 0;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args);
    if (args[1] === 'readwrite') {
      counted.writesStarted += 1;
      tx.addEventListener('complete', () => (counted.writesEnded += 1));
      tx.addEventListener('abort', () => (counted.writesEnded += 1));
    }
    return tx;
  } as IDBDatabase['transaction'];
};
const writesStarted = (page: Page) => page.evaluate(() => (window as unknown as { writesStarted: number }).writesStarted);

/** Reads the stored generation. */
const storedGeneration = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const opening = indexedDB.open('traceboard');
        opening.onsuccess = () => {
          const read = opening.result.transaction('saves').objectStore('saves').get('generation');
          read.onsuccess = () => resolve(read.result);
        };
      }),
  );

/** Tells the other tabs, as a tab of this page does, that `generation` was written. */
const announce = (page: Page, generation: number) =>
  page.evaluate((generation) => {
    const channel = new BroadcastChannel('traceboard.saves');
    channel.postMessage(generation);
    channel.close();
  }, generation);

/** A transaction that lasts until `window.release` is set holds the store: other reads and writes wait. */
async function holdStore(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const opening = indexedDB.open('traceboard');
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
  return () => page.evaluate(() => ((window as unknown as { release: boolean }).release = true));
}

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
  const { a, b } = await twoTabs(context);

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
  // While searching a column's count reads "shown of total": the move is the column's only card.
  await expect(column(page, 'Test written').locator('.count')).toHaveText('1 of 1');
});

test('a reload right after a move keeps the move: the write starts when the page is left', async ({ page }) => {
  await page.addInitScript(countWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  const before = await writesStarted(page);
  await moveWithMenu(page, 'REQ-003', 'Green');
  // Reloaded from the page, in the same turn as a check that autosave has not started its
  // write: the move is kept by the write started when the page is left, or not at all.
  const reloaded = await page
    .evaluate((before) => {
      if ((window as unknown as { writesStarted: number }).writesStarted !== before) return 'the autosave started first';
      // Kept across the reload: the answer of this evaluate may be lost with the page.
      sessionStorage.setItem('reloaded', 'before the autosave started');
      location.reload();
      return 'reloading';
    }, before)
    .catch(() => 'reloading');
  expect(reloaded).toBe('reloading');
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
  await expect(savedNote(page)).toHaveText(/Restored from this browser, saved \d\d:\d\d/);
  expect(await page.evaluate(() => sessionStorage.getItem('reloaded'))).toBe('before the autosave started');
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

test('two tabs migrating the localStorage save at once: the second shows the first one\'s save, with no conflict', async ({ page }) => {
  const matrix = JSON.stringify({ requirements: [{ id: 'OLD-1', tests: ['t.py'], tdd_stage: 'red' }] });
  // The save of an earlier version, there before the page first loads.
  await page.addInitScript((matrix) => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', 'yes');
    const saved = { file_name: 'old.json', saved_at: '2026-11-28T09:30:00.000Z', matrix, agents: [], owners: [null, null, null, null, null] };
    localStorage.setItem('traceboard.board.v1', JSON.stringify(saved));
  }, matrix);
  // Another tab's migration lands just before this one's: it is queued ahead of this page's
  // first write, after this page has read that nothing is stored yet.
  await page.addInitScript(() => {
    const transaction = IDBDatabase.prototype.transaction;
    let raced = false;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      if (args[1] === 'readwrite' && !raced) {
        raced = true;
        const store = transaction.call(this, 'saves', 'readwrite').objectStore('saves');
        store.put({ json: localStorage.getItem('traceboard.board.v1') }, 'board');
        store.put(1, 'generation');
        store.put(1, 'current');
        store.put({ claim: 1 }, ['claim', 1, 'the-other-tab']);
      }
      return transaction.apply(this, args);
    } as IDBDatabase['transaction'];
  });
  await page.goto('/');
  await expect(card(column(page, 'Red'), 'OLD-1')).toBeVisible();
  await expect(savedNote(page)).toHaveText(/^Restored from this browser/);
  await expect(alertWith(page, 'changed in another tab')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('traceboard.board.v1'))).toBeNull();
  await moveWithMenu(page, 'OLD-1', 'Test written');
  await expect(card(column(page, 'Test written'), 'OLD-1')).toBeVisible();
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  expect(await storedGeneration(page)).toBe(2);
});

test('a tab of an older version, after a newer one upgraded the database, says to reload it', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  // A newer version of the page upgrades the database (the app lets go of it when asked).
  const upgraded = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const opening = indexedDB.open('traceboard', 1000);
        opening.onsuccess = () => {
          opening.result.close();
          resolve('upgraded');
        };
        opening.onerror = () => resolve(String(opening.error));
        opening.onblocked = () => resolve('blocked');
      }),
  );
  expect(upgraded).toBe('upgraded');
  await page.reload();
  const text = 'A newer version of Traceboard is open in another tab; reload this one to keep saving.';
  await expect(savedNote(page)).toHaveText(text);
  await expect(alertWith(page, text)).toBeVisible();
});

test('a tab of an older version that holds on to the database: this one says so at once, and does not save', async ({ page }) => {
  // The older version's tab, open at version 1 and deaf to requests to let go.
  await page.addInitScript(() => {
    const opening = indexedDB.open('traceboard', 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore('saves');
    opening.onsuccess = () => ((window as unknown as { held: IDBDatabase }).held = opening.result);
  });
  await page.goto('/');
  await expect(savedNote(page)).toHaveText(/^Traceboard open in another tab keeps this one from reading the board saved in this browser/);
  await expect(alertWith(page, /close or reload the other tab/)).toBeVisible();
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(page.getByRole('banner').getByText('traceability_matrix.json', { exact: true })).toBeVisible();
  await expect(savedNote(page)).toHaveText(/^Traceboard open in another tab keeps this one/);
});

test('a corrupt save in IndexedDB is kept aside and the user told', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const opening = indexedDB.open('traceboard');
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
        const opening = indexedDB.open('traceboard');
        opening.onsuccess = () => {
          const read = opening.result.transaction('saves').objectStore('saves').get('unreadable');
          read.onsuccess = () => resolve(read.result);
        };
      }),
  );
  expect(kept).toBe('{"file_name": 3');
});

/**
 * A board saved by a first tab, its store then held by that tab, and a second tab asked for
 * the example board while its save cannot load yet; `release` lets the store go.
 */
async function exampleWhileTheSaveIsHeld(context: BrowserContext) {
  const first = await context.newPage();
  await first.goto('/');
  await importMatrix(first, fixture('journey_python.json'));
  await expect(savedNote(first)).toHaveText(/Saved in this browser/);
  const release = await holdStore(first);
  const second = await context.newPage();
  await second.goto('/');
  await second.getByRole('button', { name: 'Try the example board' }).click();
  return { first, second, release };
}

test('the example board opened while the save loads opens on top of it, and Undo brings the save back', async ({ context }) => {
  const { second, release } = await exampleWhileTheSaveIsHeld(context);
  // Held, and said, until the save has arrived.
  await expect(savedNote(second)).toHaveText('Restoring your saved board…');
  await release();
  await expect(second.getByRole('banner').getByText('traceability_matrix.json', { exact: true })).toBeVisible();
  await expect(card(column(second, 'Green'), 'REQ-008')).toBeVisible();
  await expect(savedNote(second)).toHaveText(/Saved in this browser/);
  await second.getByRole('button', { name: 'Undo' }).click();
  await expect(second.getByRole('banner').getByText('journey_python.json', { exact: true })).toBeVisible();
  await expect(card(column(second, 'Red'), 'REQ-003')).toBeVisible();
});

test('a save that does not arrive in time: held openings run, and the tab says it is not saving', async ({ context }) => {
  const { first, second, release } = await exampleWhileTheSaveIsHeld(context);
  await expect(savedNote(second)).toHaveText('Restoring your saved board…');
  // The save never arrives while the store is held: the page stops waiting for it.
  await expect(second.getByRole('banner').getByText('traceability_matrix.json', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(savedNote(second)).toHaveText(/^The board saved in this browser could not be read, so changes made here are not being saved/);
  await expect(alertWith(second, /could not be read/)).toBeVisible();
  await release();
  // The save arriving late is not shown, and is never overwritten by this tab.
  await moveWithMenu(second, 'REQ-008', 'Reviewed');
  await expect(savedNote(second)).toHaveText(/^The board saved in this browser could not be read/);
  await second.close();
  await first.reload();
  await expect(first.getByRole('banner').getByText('journey_python.json', { exact: true })).toBeVisible();
});

test('a write that is not answered in time is reported as failed', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await holdStore(page);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(savedNote(page)).toHaveText('Not saved: the browser did not answer within 10 seconds', { timeout: 20_000 });
  await expect(alertWith(page, /^Not saved in this browser: /)).toBeVisible();
});

test('moves made while a save is in flight survive a reload', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(countWrites);
  await page.goto('/');
  // A big board, so its autosave is still in flight when the second move is made.
  await importBuffer(page, 'ten_megabytes.json', matrix(20_000, 'It keeps a record of every answer for the audit trail. '.repeat(8)));
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d, \d+\.\d MB/, { timeout: 30_000 });
  await page.getByRole('searchbox', { name: 'Search cards' }).fill('REQ-0000');
  const before = await writesStarted(page);
  await moveWithMenu(page, 'REQ-00001', 'Test written');
  // As soon as the autosave of the first move is in flight: the second move, then a reload,
  // in the page, before that write has ended.
  const reloaded = await page.evaluate(
    (before) =>
      new Promise<string>((resolve) => {
        const counted = window as unknown as { writesStarted: number; writesEnded: number };
        const menu = (id: string) => document.querySelector<HTMLElement>(`[aria-label="Move ${id} to…"]`);
        const waitForWrite = () => {
          if (counted.writesStarted === before) {
            requestAnimationFrame(waitForWrite);
            return;
          }
          menu('REQ-00002')?.click();
          const pick = () => {
            const item = [...document.querySelectorAll<HTMLElement>('[role=menuitem]')].find((i) => i.textContent?.trim() === 'Test written');
            if (!item) {
              requestAnimationFrame(pick);
              return;
            }
            item.click();
            if (counted.writesEnded === counted.writesStarted) {
              resolve('the first write ended before the reload');
              return;
            }
            // Kept across the reload: the answer of this evaluate may be lost with the page.
            sessionStorage.setItem('reloaded', 'while the first write was in flight');
            resolve('reloading');
            location.reload();
          };
          pick();
        };
        waitForWrite();
      }),
    before,
  ).catch(() => 'reloading');
  expect(reloaded).toBe('reloading');
  await expect(savedNote(page)).toHaveText(/^Restored from this browser/, { timeout: 30_000 });
  expect(await page.evaluate(() => sessionStorage.getItem('reloaded'))).toBe('while the first write was in flight');
  await page.getByRole('searchbox', { name: 'Search cards' }).fill('REQ-0000');
  // The write issued as the page is left carries both moves. Chromium may still drop a write
  // of a 10 MB board issued while the page unloads (seen in a CI run on this 2-core
  // machine); then the page must say the save is older than the work, never present it as
  // current (the mark each change leaves synchronously in localStorage tells it).
  const note = (await savedNote(page).textContent()) ?? '';
  if (note.includes('later changes were not saved')) {
    await expect(alertWith(page, /Later changes were not saved in this browser/)).toBeVisible();
  } else {
    await expect(savedNote(page)).toHaveText(/^Restored from this browser, saved \d\d:\d\d$/);
    await expect(card(column(page, 'Test written'), 'REQ-00001')).toBeVisible();
    await expect(card(column(page, 'Test written'), 'REQ-00002')).toBeVisible();
  }
});

test('a write when the page is left that cannot be issued leaves the write in flight alone', async ({ page }) => {
  await page.addInitScript(failableWrites);
  await page.addInitScript(countWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  const mine = await storedGeneration(page);
  const release = await holdStore(page);
  const before = await writesStarted(page);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect.poll(() => writesStarted(page)).toBeGreaterThan(before);
  // The write in its place cannot be issued (storage refuses its puts as they are made).
  await page.evaluate(() => {
    (window as unknown as { failWrites: boolean }).failWrites = true;
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    (window as unknown as { failWrites: boolean }).failWrites = false;
  });
  await release();
  await expect.poll(() => storedGeneration(page)).toBe(mine + 1);
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
});

/** Moves a card, then leaves the page while another tab saves: 'left' when the page was left
 * before its own autosave began. */
async function leaveWhileAnotherTabSaves(page: Page): Promise<string> {
  await page.addInitScript(countWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  const before = await writesStarted(page);
  await moveWithMenu(page, 'REQ-003', 'Green');
  // Another tab saves the next generation, and this page is left before it hears of it.
  return page.evaluate(
    (before) =>
      new Promise<string>((resolve) => {
        if ((window as unknown as { writesStarted: number }).writesStarted !== before) {
          resolve('the autosave started before the page was left');
          return;
        }
        const opening = indexedDB.open('traceboard');
        opening.onsuccess = () => {
          const tx = opening.result.transaction('saves', 'readwrite');
          const store = tx.objectStore('saves');
          const read = store.get('board');
          const generation = store.get('generation');
          generation.onsuccess = () => {
            const next = generation.result + 1;
            const saved = JSON.parse(read.result.json);
            store.put({ json: JSON.stringify({ ...saved, file_name: 'other_tab.json' }) }, 'board');
            store.put(next, 'generation');
            store.put(next, 'current');
            // Its claim on the generation, as every write of this version makes.
            store.put({ claim: next }, ['claim', next, 'the-other-tab']);
          };
          tx.oncomplete = () => resolve('left');
          // Dispatched while the other tab's transaction is queued: this page's write runs after it.
          window.dispatchEvent(new PageTransitionEvent('pagehide'));
        };
      }),
    before,
  );
}

test('the write when the page is left does not overwrite what another tab saved meanwhile', async ({ browser, baseURL }) => {
  // The page must be left before its own autosave (200 ms after the move) starts. On a busy
  // machine the step from the move to leaving can take longer: that attempt proves nothing,
  // so it is made again in a fresh browser context, a few times at most.
  let page!: Page;
  let left = '';
  for (let attempt = 0; attempt < 4 && left !== 'left'; attempt++) {
    if (page) await page.context().close();
    page = await (await browser.newContext({ baseURL })).newPage();
    left = await leaveWhileAnotherTabSaves(page);
  }
  expect(left).toBe('left');
  await page.reload();
  await expect(page.getByRole('banner').getByText('other_tab.json', { exact: true })).toBeVisible();
  await expect(card(column(page, 'Red'), 'REQ-003')).toBeVisible();
  await page.context().close();
});

test('after the site data is cleared, the next move saves without a false conflict', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  // The app lets go of its connection when asked, so the delete is not blocked.
  const deleted = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const deleting = indexedDB.deleteDatabase('traceboard');
        deleting.onsuccess = () => resolve('deleted');
        deleting.onerror = () => resolve(String(deleting.error));
        deleting.onblocked = () => resolve('blocked');
      }),
  );
  expect(deleted).toBe('deleted');
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/);
  await expect(alertWith(page, 'changed in another tab')).toHaveCount(0);
  await page.reload();
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
});

test('after "Clear site data" closes the connection, the next move saves', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  // As the browser's "Clear site data" does: the connection is closed from outside the page.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(page.url()).origin, storageTypes: 'indexeddb' });
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/);
  await expect(page.getByRole('alert').filter({ hasText: 'Not saved' })).toHaveCount(0);
  await page.reload();
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
});

test('a save whose transaction aborts after it was issued says so', async ({ page }) => {
  await page.addInitScript(abortableWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/);
  await page.evaluate(() => ((window as unknown as { abortWrites: boolean }).abortWrites = true));
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(alertWith(page, /^Not saved in this browser: /)).toBeVisible();
  await expect(savedNote(page)).toHaveText(/^Not saved: /);
  // The save is marked as older than the work, so a reload says so.
  const current = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const opening = indexedDB.open('traceboard');
          opening.onsuccess = () => {
            const read = opening.result.transaction('saves').objectStore('saves').get('current');
            read.onsuccess = () => resolve(read.result ?? 'none');
          };
        }),
    );
  await expect.poll(current).toBe('none');
});

test("a failed save does not unmark another tab's newer save as current", async ({ page }) => {
  await page.addInitScript(failableWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  // Another tab saves the next generation, and this page has not heard of it yet.
  const next = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const opening = indexedDB.open('traceboard');
        opening.onsuccess = () => {
          const tx = opening.result.transaction('saves', 'readwrite');
          const store = tx.objectStore('saves');
          const generation = store.get('generation');
          generation.onsuccess = () => {
            const next = generation.result + 1;
            store.put(next, 'generation');
            store.put(next, 'current');
            store.put({ claim: next }, ['claim', next, 'the-other-tab']);
            tx.oncomplete = () => resolve(next);
          };
        };
      }),
  );
  await page.evaluate(() => ((window as unknown as { failWrites: boolean }).failWrites = true));
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(savedNote(page)).toHaveText(/^Not saved: /);
  const current = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const opening = indexedDB.open('traceboard');
          opening.onsuccess = () => {
            const read = opening.result.transaction('saves').objectStore('saves').get('current');
            read.onsuccess = () => resolve(read.result ?? 'none');
          };
        }),
    );
  // The failed write's own mark is what it would delete; the other tab's stays. This read
  // queues behind the transaction that marks the save stale, started as the note was set.
  expect(await current()).toBe(next);
});

test('a tab that hears another announce the generation it wrote itself keeps saving: its save stands', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  // A write of another tab, committed as it was left, announced this generation before it
  // landed; its claim was refused, so this tab's save is the one stored.
  const mine = await storedGeneration(page);
  await announce(page, mine);
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await expect.poll(() => storedGeneration(page)).toBe(mine + 1);
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await expect(alertWith(page, 'This board changed in another tab')).toHaveCount(0);
});

test('a tab that hears its own next generation announced while writing it does not conflict when its write stands', async ({ page }) => {
  await page.addInitScript(countWrites);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  const mine = await storedGeneration(page);
  const release = await holdStore(page);
  const before = await writesStarted(page);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect.poll(() => writesStarted(page)).toBeGreaterThan(before);
  // Another tab, left, announced the generation this tab is writing; its claim will be refused.
  await announce(page, mine + 1);
  await release();
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  expect(await storedGeneration(page)).toBe(mine + 1);
  await expect(alertWith(page, 'This board changed in another tab')).toHaveCount(0);
});

test('a tab whose generation another tab really wrote over is told of the conflict at its next write', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  // Another tab saves the next generation, but its announcement names this tab's generation.
  const mine = await storedGeneration(page);
  await page.evaluate(
    (next) =>
      new Promise<void>((resolve) => {
        const opening = indexedDB.open('traceboard');
        opening.onsuccess = () => {
          const tx = opening.result.transaction('saves', 'readwrite');
          const store = tx.objectStore('saves');
          store.put(next, 'generation');
          store.put(next, 'current');
          store.put({ claim: next }, ['claim', next, 'the-other-tab']);
          tx.oncomplete = () => resolve();
        };
      }),
    mine + 1,
  );
  await announce(page, mine);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(alertWith(page, 'This board changed in another tab')).toBeVisible();
  await expect(savedNote(page)).toHaveText('Not saved: this board changed in another tab');
  expect(await storedGeneration(page)).toBe(mine + 1);
});

test('a save made by a fresh tab after the storage was reset is not overwritten', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await moveWithMenu(page, 'REQ-003', 'Green');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  expect(await storedGeneration(page)).toBeGreaterThanOrEqual(2);
  // The storage is reset and a fresh tab saves its first generation, unannounced to this one.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const opening = indexedDB.open('traceboard');
        opening.onsuccess = () => {
          const tx = opening.result.transaction('saves', 'readwrite');
          const store = tx.objectStore('saves');
          store.clear();
          store.put({ json: null }, 'board');
          store.put(1, 'generation');
          store.put(1, 'current');
          store.put({ claim: 1 }, ['claim', 1, 'the-fresh-tab']);
          tx.oncomplete = () => resolve();
        };
      }),
  );
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await expect(alertWith(page, 'This board changed in another tab')).toBeVisible();
  expect(await storedGeneration(page)).toBe(1);
});

test('a write the browser drops as the page is left: the reload says the save is older than the work', async ({ page }) => {
  // Every write issued once the page is being left fails, as when Chromium drops it.
  await page.addInitScript(() => {
    addEventListener(
      'pagehide',
      () => {
        IDBObjectStore.prototype.put = function () {
          throw new DOMException('dropped with the page', 'AbortError');
        };
      },
      { capture: true },
    );
  });
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(savedNote(page)).toHaveText(/Saved in this browser at \d\d:\d\d/);
  await expect(card(column(page, 'Red'), 'REQ-003')).toBeVisible();
  // The move and the reload in one task: the debounced autosave never starts, so only the
  // write as the page is left could have kept the move.
  await page.evaluate(() => {
    document.querySelector<HTMLElement>('[aria-label="Move REQ-003 to…"]')?.click();
  });
  await expect(page.getByRole('menu')).toBeVisible();
  await page.evaluate(() => {
    const item = [...document.querySelectorAll<HTMLElement>('[role=menuitem]')].find((i) => i.textContent?.trim() === 'Green');
    item?.click();
    location.reload();
  });
  await expect(savedNote(page)).toHaveText(/^Restored from this browser as saved at \d\d:\d\d; later changes were not saved/, { timeout: 20_000 });
  await expect(alertWith(page, /Later changes were not saved in this browser/)).toBeVisible();
  await expect(card(column(page, 'Red'), 'REQ-003')).toBeVisible();
});
