// A tab follows another tab's saves only once the person is done with what they have open:
// the override dialog (with the reason typed so far), a keyboard lift or a drag, the "Move to…"
// menu. Following replaces the board, so doing it under them would drop what they were doing.
// Once they are done the tab follows, and focus stays on the card it was on.
import { expect, test, type Page } from '@playwright/test';
import { card, column, moveWithMenu, savedNote, twoTabs } from './helpers';

/** A moves REQ-003 to Green and saves; B hears of it and waits until it is done. */
async function otherTabMoves(a: Page, b: Page) {
  await moveWithMenu(a, 'REQ-003', 'Green');
  await expect(savedNote(a)).toHaveText(/Saved in this browser/);
  await expect(savedNote(b)).toHaveText('Changed in another tab; shown here when you are done');
  await expect(card(column(b, 'Red'), 'REQ-003')).toBeVisible();
}

test('the override dialog stays open with its reason while another tab saves; B follows once it closes', async ({
  context,
}) => {
  const { a, b } = await twoTabs(context);
  await card(b, 'REQ-002').focus();
  await b.keyboard.press('Space');
  await b.keyboard.press('ArrowRight');
  await b.keyboard.press('Space');
  const dialog = b.getByRole('dialog', { name: /^Override the TDD gate for REQ-002\?/ });
  const reason = dialog.getByRole('textbox', { name: 'Reason for the override' });
  await reason.fill('Spike on the sign-out flow');

  await otherTabMoves(a, b);
  await expect(dialog).toBeVisible();
  await expect(reason).toHaveValue('Spike on the sign-out flow');
  await expect(reason).toBeFocused();

  // Cancelled, the dialog gives focus back to the card; then B follows A, and the card
  // rendered for the newer board keeps the focus.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(card(column(b, 'Green'), 'REQ-003')).toBeVisible();
  await expect(savedNote(b)).toHaveText(/Updated from another tab, saved \d\d:\d\d; undo history cleared/);
  await expect(card(column(b, 'Backlog'), 'REQ-002')).toBeFocused();
});

test('a keyboard lift goes on while another tab saves; its drop then meets the newer board as a conflict', async ({
  context,
}) => {
  const { a, b } = await twoTabs(context);
  const req1 = card(b, 'REQ-001');
  await req1.focus();
  await b.keyboard.press('Space');
  await expect(req1).toHaveAttribute('aria-pressed', 'true');

  await otherTabMoves(a, b);
  await expect(req1).toHaveAttribute('aria-pressed', 'true');
  await expect(req1).toBeFocused();
  await b.keyboard.press('ArrowRight');
  await b.keyboard.press('Space');
  await expect(card(column(b, 'Test written'), 'REQ-001')).toBeVisible();
  // B's move was made on the older board: it is not saved over A's, and B is told.
  await expect(b.getByRole('alert').filter({ hasText: 'This board changed in another tab' })).toBeVisible();
  await expect(savedNote(b)).toHaveText('Not saved: this board changed in another tab');
});

test('the "Move to…" menu stays open while another tab saves; B follows once it closes', async ({ context }) => {
  const { a, b } = await twoTabs(context);
  await b.getByRole('button', { name: 'Move REQ-004 to…' }).click();
  const menu = b.getByRole('menu');
  await expect(menu.getByRole('menuitem', { name: 'Backlog' })).toBeFocused();

  await otherTabMoves(a, b);
  await expect(menu.getByRole('menuitem', { name: 'Backlog' })).toBeFocused();
  await b.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(card(column(b, 'Green'), 'REQ-003')).toBeVisible();
  await expect(savedNote(b)).toHaveText(/Updated from another tab/);
  // Escape gave focus back to the menu's button; the button rendered for the newer board has it.
  await expect(b.getByRole('button', { name: 'Move REQ-004 to…' })).toBeFocused();
});

test('a focused card keeps the focus when the tab follows another tab', async ({ context }) => {
  const { a, b } = await twoTabs(context);
  await card(b, 'REQ-005').focus();
  await moveWithMenu(a, 'REQ-003', 'Green');
  await expect(card(column(b, 'Green'), 'REQ-003')).toBeVisible();
  await expect(savedNote(b)).toHaveText(/Updated from another tab/);
  await expect(card(b, 'REQ-005')).toBeFocused();
  // The keys work on it at once.
  await b.keyboard.press('Space');
  await expect(card(b, 'REQ-005')).toHaveAttribute('aria-pressed', 'true');
});
