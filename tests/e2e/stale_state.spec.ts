// UI state that cannot point at the wrong board or team: the override dialog is a real modal
// (nothing reaches the board under it), a board swapped under it closes it instead of letting
// it move another board's card, and undoing an agent import clears the choices that named
// its agents.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { card, column, download, dragWithMouse, fileAction, fixture, importMatrix } from './helpers';

const examples = join(__dirname, '..', '..', 'examples');
const overrideDialog = (page: Page, id: string) =>
  page.getByRole('dialog', { name: new RegExp(`^Override the TDD gate for ${id}\\?`) });

/** Resolves after two frames have been painted, so effects of the last input have run. */
const painted = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** Lifts REQ-002 (no tests) with the keyboard and drops it on Test written, whose gate refuses it. */
async function openOverrideForReq002(page: Page) {
  await card(page, 'REQ-002').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  const dialog = overrideDialog(page, 'REQ-002');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Reason for the override' }).fill('Spike');
  return dialog;
}

test('Ctrl+Z under the override dialog never makes it move a card of the other board', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-012')).toBeVisible();
  // Board B replaces the example board A; both have a REQ-002 at the same index.
  await importMatrix(page, fixture('journey_python.json'));
  await expect(card(page, 'REQ-012')).toHaveCount(0);
  const dialog = await openOverrideForReq002(page);

  // Off the text box (where Ctrl+Z is the text's own undo), ask for the board's undo: the
  // page under the modal is inert, so it is refused and the dialog stays, with its reason.
  await dialog.getByRole('button', { name: 'Override and move' }).focus();
  await page.keyboard.press('Control+z');
  await painted(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Reason for the override' })).toHaveValue('Spike');
  await expect(card(page, 'REQ-012')).toHaveCount(0);
  await expect(card(column(page, 'Backlog'), 'REQ-002')).toBeVisible();

  // Cancelled, the dialog goes; then Ctrl+Z undoes the import of board B, back to board A.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(card(page, 'REQ-002')).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-012')).toBeVisible();
  await expect(card(column(page, 'Backlog'), 'REQ-002')).toBeVisible();
  // No card of board A moved: its export is the example file, byte for byte.
  const exported = await download(page);
  expect(exported.text).toBe(readFileSync(join(examples, 'traceability_matrix.json'), 'utf8'));
});

test('a board dropped on the page while the override dialog is open closes the dialog', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(card(page, 'REQ-005')).toBeVisible();
  await openOverrideForReq002(page);

  // A file dropped on the page opens in place of the board the dialog was about.
  const text = readFileSync(join(examples, 'traceability_matrix.json'), 'utf8');
  await page.evaluate((text) => {
    const files = new DataTransfer();
    files.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
  }, text);
  await expect(card(page, 'REQ-012')).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(card(column(page, 'Backlog'), 'REQ-002')).toBeVisible();
  const exported = JSON.parse((await download(page)).text);
  expect(exported.requirements[1].tdd_history).toBeUndefined();
});

test('under the override dialog the board is inert: no undo, no shortcuts, no focus behind it', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await dragWithMouse(page, card(page, 'REQ-001'), column(page, 'Test written'));
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  const dialog = await openOverrideForReq002(page);

  await dialog.getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('?');
  await painted(page);
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);

  // The toolbar behind the dialog cannot take focus.
  const undo = page.getByRole('button', { name: 'Undo', includeHidden: true });
  await undo.focus();
  await expect(undo).not.toBeFocused();

  // Escape closes the dialog and gives focus back to the card, which did not move.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(card(column(page, 'Backlog'), 'REQ-002')).toBeFocused();
  // With the dialog gone, the page's shortcuts work again.
  await page.keyboard.press('Control+z');
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
});

test('undoing an agent import clears "Whose turn" and "Acting as" that named its agents', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(card(page, 'REQ-005')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents folder')).click();
  await (await chooser).setFiles(join(examples, 'agents'));
  await expect(page.getByRole('region', { name: 'Agents' })).toBeVisible();

  await page.getByRole('combobox', { name: 'Acting as' }).selectOption('overseer');
  await page.getByRole('combobox', { name: 'Whose turn' }).selectOption('qa-engineer');
  await expect(card(page, 'REQ-003')).toHaveCount(0);
  await expect(card(page, 'REQ-001')).toBeVisible();

  await page.keyboard.press('Control+z');
  await expect(page.getByRole('region', { name: 'Agents' })).toHaveCount(0);
  // No agent is left to filter by: every card is back, not an empty board.
  for (const id of ['REQ-001', 'REQ-002', 'REQ-003', 'REQ-004', 'REQ-005']) {
    await expect(card(page, id)).toBeVisible();
  }

  // Redo brings the team back, but not the choices made for the team that was undone.
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByRole('region', { name: 'Agents' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Whose turn' })).toHaveValue('');
  await expect(page.getByRole('combobox', { name: 'Acting as' })).toHaveValue('');
  await expect(card(page, 'REQ-003')).toBeVisible();
  // So a move is recorded as made by the owner of the column, not by the old "Acting as".
  await dragWithMouse(page, card(page, 'REQ-001'), column(page, 'Test written'));
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  const exported = JSON.parse((await download(page)).text);
  expect(exported.requirements[0].tdd_history.at(-1)).toMatchObject({ to: 'test_written', by: 'qa-engineer' });
});

test('under the shortcuts dialog no shortcut reaches the board; "?" and Escape close it', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await dragWithMouse(page, card(page, 'REQ-001'), column(page, 'Test written'));
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();

  await page.keyboard.press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toBeVisible();
  await expect(shortcuts.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Control+z');
  await painted(page);
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await page.keyboard.press('?');
  await expect(shortcuts).toHaveCount(0);

  await page.keyboard.press('?');
  await expect(shortcuts).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(shortcuts).toHaveCount(0);
});
