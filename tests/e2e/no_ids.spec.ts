// Requirement objects without an id land as cards: named by another key that tells them apart
// ("scenario 3"), else by their position ("#3"), with the import report saying how. A move
// writes into that entry like any other, and export changes nothing else: no id is added.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { card, column, download, expectCardIn, fixture, importMatrix, live, type STAGES } from './helpers';

const matrixFixture = (name: string) => fixture(`../../fixtures/matrix/${name}`);

test('objects named by another key: cards in their columns, the report says how, a keyboard move exports into that entry only', async ({ page }) => {
  const originalText = readFileSync(matrixFixture('no_ids.json'), 'utf8');
  await page.goto('/');
  await importMatrix(page, matrixFixture('no_ids.json'));

  const report = page.getByRole('status');
  await expect(report).toContainText('Imported 6 requirements: 2 Backlog, 1 Test written, 1 Red, 1 Green, 1 Reviewed.');
  await expect(report).toContainText('6 without an id, named by another key or by position.');
  await expect(report).toContainText('requirement #3 (requirements[2]): has no id; shown as "scenario 3", from its "scenario" key');
  await expect(report).not.toContainText('could not be placed');
  const places: [string, (typeof STAGES)[number]][] = [
    ['scenario 1', 'Backlog'],
    ['scenario 2', 'Backlog'],
    ['scenario 3', 'Test written'],
    ['scenario 4', 'Red'],
    ['scenario 5', 'Green'],
    ['scenario 6', 'Reviewed'],
  ];
  for (const [id, title] of places) await expectCardIn(page, id, title);

  // Keyboard: focus the card, Space lifts, ArrowRight chooses Red, Space drops.
  await card(column(page, 'Test written'), 'scenario 3').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await expect(live(page)).toHaveText('scenario 3 is over Red.');
  await page.keyboard.press('Space');
  await expect(live(page)).toHaveText('scenario 3 moved from Test written to Red.');
  await expect(card(column(page, 'Red'), 'scenario 3')).toBeFocused();
  await expect(card(column(page, 'Test written'), 'scenario 3')).toHaveCount(0);

  const { text } = await download(page);
  const original = JSON.parse(originalText);
  const exported = JSON.parse(text);
  const moved = exported.requirements[2];
  expect(moved.tdd_stage).toBe('red');
  expect(moved.tdd_history).toHaveLength(1);
  expect(moved.tdd_history[0]).toMatchObject({ from: 'test_written', to: 'red' });
  expect(moved).not.toHaveProperty('id');
  const { tdd_stage, tdd_history, ...rest } = moved;
  expect(rest).toEqual(original.requirements[2]);
  exported.requirements[2] = original.requirements[2];
  expect(exported).toEqual(original);
  // Byte for byte outside the moved entry.
  const start = originalText.indexOf('"scenario": 3');
  const end = originalText.indexOf('"scenario": 4');
  expect(text.slice(0, start)).toBe(originalText.slice(0, start));
  expect(text.endsWith(originalText.slice(end))).toBe(true);
});

test('objects with nothing to name them: named by position, moved with the Move to… menu and the gate override', async ({ page }) => {
  const originalText = readFileSync(matrixFixture('no_ids_at_all.json'), 'utf8');
  await page.goto('/');
  await importMatrix(page, matrixFixture('no_ids_at_all.json'));

  const report = page.getByRole('status');
  await expect(report).toContainText('Imported 6 requirements');
  await expect(report).toContainText('requirement #5 (root[4]): has no id; shown as "#5", from its position in the list');
  await expectCardIn(page, '#1', 'Backlog');
  await expectCardIn(page, '#3', 'Test written');
  await expectCardIn(page, '#4', 'Green');
  await expectCardIn(page, '#5', 'Backlog');

  // The fifth has its team's own status object and no tests: the gate asks for a reason, and
  // the board keeps the status as written and says so.
  await page.getByRole('button', { name: 'Move #5 to…' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Test written' }).click();
  const dialog = page.getByRole('dialog', { name: 'Override the TDD gate for #5?' });
  await dialog.getByRole('textbox', { name: 'Reason for the override' }).fill('Tests are in the manual plan');
  await dialog.getByRole('button', { name: 'Override and move' }).click();
  await expectCardIn(page, '#5', 'Test written');
  await expect(page.getByRole('status')).toContainText('Kept status (an object) as written');

  const { text } = await download(page);
  const original = JSON.parse(originalText);
  const exported = JSON.parse(text);
  expect(exported[4].status).toEqual({ state: 'custom', since: 2024 });
  expect(exported[4].tdd_stage).toBe('test_written');
  expect(exported[4]).not.toHaveProperty('id');
  const { tdd_stage, tdd_history, ...rest } = exported[4];
  expect(tdd_history[0]).toMatchObject({ from: 'backlog', to: 'test_written', note: 'TDD gate overridden: Tests are in the manual plan' });
  expect(rest).toEqual(original[4]);
  exported[4] = original[4];
  expect(exported).toEqual(original);
});
