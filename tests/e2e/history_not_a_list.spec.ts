// A requirement whose `tdd_history` is not a list cannot take a move (the board will not
// overwrite it). The board says so before anything else, also for a card a TDD gate would
// stop: no override dialog asks for a reason for a move that could never be recorded.
import { expect, test } from '@playwright/test';
import { card, column, download, fixture, importMatrix, readFixture } from './helpers';

const refusal = 'Its "tdd_history" is not a list, so the move cannot be recorded; fix the file first.';

test('a gated card whose tdd_history is not a list is refused with the reason, not sent to the override dialog', async ({
  page,
}) => {
  await page.goto('/');
  await importMatrix(page, fixture('history_not_a_list.json'));
  const req1 = card(column(page, 'Backlog'), 'REQ-001');
  await expect(req1).toBeVisible();

  // While lifted over Test written, the column gives the reason it refuses the card.
  await req1.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  const target = column(page, 'Test written');
  await expect(target).toHaveClass(/drop-refused/);
  await expect(target.getByText(refusal)).toBeVisible();

  await page.keyboard.press('Space');
  await expect(page.getByRole('alert').filter({ hasText: refusal })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(req1).toBeVisible();
  await expect(req1).toBeFocused();

  // The other card moves as usual, and the file keeps REQ-001 as written.
  await page.getByRole('button', { name: 'Move REQ-002 to…' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Test written', exact: true }).click();
  await expect(card(column(page, 'Test written'), 'REQ-002')).toBeVisible();
  const exported = JSON.parse((await download(page)).text);
  const original = JSON.parse(readFixture('history_not_a_list.json'));
  expect(exported.requirements[0]).toEqual(original.requirements[0]);
});
