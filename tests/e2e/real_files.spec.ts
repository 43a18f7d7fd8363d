// Real files as their teams wrote them (copies of public repositories' matrices, see
// tests/fixtures/corpus/matrices.tsv): a guessed shape confirmed in the "Fields" dialog, a
// coverage map joined by id, and a file that holds no requirements, each as a user meets them.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { card, column, download, expectCardIn, fixture, importMatrix } from './helpers';

const corpus = (name: string) => fixture(`../../fixtures/corpus/matrices/${name}`);
const DUCKDEPLOY = corpus('04-fderuiter-DuckDeploy-traceability-matrix.json');
const ASTRO = corpus('03-adammerrill-AstroJS-template-traceability-matrix.json');
const FIRST_POINTER = '#/paths/~1mdr~1about/get/responses/200/content/application~1json/schema/properties/_links';

const fieldsDialog = (page: Page) => page.getByRole('dialog', { name: 'Fields' });
const report = (page: Page) => page.getByRole('status');

test('a guessed shape is shown, confirmed in the Fields dialog, undone, and remembered', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, DUCKDEPLOY);
  // The report says where and how it read the file.
  await expect(report(page)).toContainText('Imported 398 requirements');
  await expect(report(page)).toContainText('Read from "traceability" (a list of 398 objects): id: requirement');
  await expect(report(page)).toContainText('Status word the board does not know, kept as written: "mapped"');
  await expect(page.getByRole('region', { name: 'Backlog', exact: true }).getByText(FIRST_POINTER, { exact: true }).first()).toBeVisible();

  // The text was not found: the person picks it from the keys the file has.
  await report(page).getByRole('button', { name: 'Change fields' }).click();
  const dialog = fieldsDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Requirements in')).toHaveValue('traceability');
  await expect(dialog.getByLabel('Id', { exact: true })).toHaveValue('requirement');
  await expect(dialog.getByLabel('Text', { exact: true })).toHaveValue('');
  const preview = dialog.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('398 cards: Backlog 398');
  await dialog.getByLabel('Text', { exact: true }).selectOption('component');
  await expect(preview).toContainText('<TextField />');
  await dialog.getByRole('button', { name: 'Use these fields' }).click();
  await expect(dialog).toBeHidden();
  await expect(report(page)).toContainText('text: component');
  await expect(page.getByRole('region', { name: 'Backlog', exact: true }).getByText('<TextField />').first()).toBeVisible();

  // One undo puts the board's own reading back, and redo the person's.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('region', { name: 'Backlog', exact: true }).getByText('<TextField />')).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByRole('region', { name: 'Backlog', exact: true }).getByText('<TextField />').first()).toBeVisible();

  // The choice changes how the file is read, never the file.
  const { text } = await download(page);
  expect(text).toBe(readFileSync(DUCKDEPLOY, 'utf8'));

  // A reload keeps the choice with the board.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Backlog', exact: true }).getByText('<TextField />').first()).toBeVisible();

  // A card moved (through its gate, with a reason), the board exported, and that file
  // imported again: the same shape, so the choice is used, whatever the moves added.
  await page.getByRole('button', { name: `Move ${FIRST_POINTER} to…` }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Test written', exact: true }).click();
  const override = page.getByRole('dialog', { name: /^Override the TDD gate/ });
  await override.getByLabel('Reason for the override').fill('Checked by hand');
  await override.getByRole('button', { name: 'Override and move' }).click();
  await expect(page.getByRole('region', { name: 'Test written', exact: true }).getByText(FIRST_POINTER, { exact: true })).toBeVisible();
  const moved = await download(page);
  const file = join(mkdtempSync(join(tmpdir(), 'traceboard-')), '04-after-a-move.json');
  writeFileSync(file, moved.text);
  await importMatrix(page, file);
  await expect(report(page)).toContainText('Read with the fields chosen before for files of this shape');
  await expect(report(page)).toContainText('text: component');
  await expect(page.getByRole('region', { name: 'Test written', exact: true }).getByText('<TextField />')).toBeVisible();
});

test('a coverage map kept beside the requirements shows on their cards', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, ASTRO);
  await expect(report(page)).toContainText('Imported 23 requirements');
  await expect(report(page)).toContainText('Joined "coverage" keyed by requirement id: 23 requirements');
  await expect(report(page)).toContainText('Joined "sourceMap" by its "requirements": 23 requirements');
  // REQ-UI-001's code is in `coverage`, its tests in `sourceMap`: it has a test, so it is in
  // Test written, and its card counts both.
  await expectCardIn(page, 'REQ-UI-001', 'Test written');
  const reqUi1 = card(column(page, 'Test written'), 'REQ-UI-001');
  await expect(reqUi1).toContainText('Global Navigation');
  await expect(reqUi1).toContainText('1 code');
  await expect(reqUi1).toContainText('2 tests');

  // A move writes into the requirement; the joined map keeps its bytes.
  await page.getByRole('button', { name: 'Move REQ-UI-001 to…' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Backlog', exact: true }).click();
  await expectCardIn(page, 'REQ-UI-001', 'Backlog');
  await expect(card(column(page, 'Backlog'), 'REQ-UI-001')).toContainText('1 code');
  const { text } = await download(page);
  const original = readFileSync(ASTRO, 'utf8');
  const coverage = (json: string) => JSON.stringify(JSON.parse(json).coverage);
  expect(coverage(text)).toBe(coverage(original));
  expect(text.slice(text.indexOf('"coverage"'))).toBe(original.slice(original.indexOf('"coverage"')));
  expect(JSON.parse(text).requirements[0].tdd_stage).toBe('backlog');
});

test('a file that holds no requirements is refused with what it holds and what the board looks for', async ({ page }) => {
  await page.goto('/');
  // The project's own package.json: a real file, and no requirement in it.
  await importMatrix(page, fixture('../../../package.json'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('No requirements found: the file holds an object with the keys');
  await expect(alert).toContainText('"devDependencies"');
  await expect(alert).toContainText('The board looks for a list or a map of requirement objects');
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
});

test('when nothing looks like an id or a text, the Fields dialog opens by itself', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('../../fixtures/matrix/undecided.json'));
  const dialog = fieldsDialog(page);
  await expect(dialog).toBeVisible();
  await expect(report(page)).toContainText('Nothing in the file looked like a requirement');
  await dialog.getByLabel('Id', { exact: true }).selectOption('a');
  await dialog.getByLabel('Text', { exact: true }).selectOption('b');
  await dialog.getByLabel('Tests', { exact: true }).selectOption(['c']);
  const preview = dialog.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('3 cards: Backlog 1 · Test written 2');
  await expect(preview).toContainText('Log in with a password');
  await dialog.getByRole('button', { name: 'Use these fields' }).click();
  await expect(dialog).toBeHidden();
  await expectCardIn(page, 'X-1', 'Test written');
  await expectCardIn(page, 'X-3', 'Backlog');
  // Escape on a dialog opened again leaves the board as it is.
  await page.getByRole('button', { name: 'Fields', exact: true }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Text', { exact: true }).selectOption('');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(card(column(page, 'Test written'), 'X-1')).toContainText('Log in with a password');
});
