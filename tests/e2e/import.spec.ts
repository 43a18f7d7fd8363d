// Importing the files real teams have: every shape lands, bad entries are reported with their
// position and kept, deprecated requirements hide behind a toggle, and nothing is lost.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { card, column, download, fixture, importMatrix } from './helpers';

const matrixFixture = (name: string) => fixture(`../../fixtures/matrix/${name}`);

test('a messy file: report with positions, duplicates flagged, deprecated hidden, export unchanged', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, matrixFixture('messy.json'));
  const report = page.getByRole('status');
  await expect(report).toContainText('Imported 8 requirements: 3 Backlog, 0 Test written, 2 Red, 2 Green, 0 Reviewed.');
  await expect(report).toContainText('1 deprecated (hidden)');
  await expect(report).toContainText('requirement #6 (requirements[5]): has no id');
  await expect(report).toContainText('requirement #7 (requirements[6]): is a string, not a requirement object');
  await expect(report).toContainText('repeats the id REQ-200');

  await expect(card(page, 'REQ-200')).toHaveCount(2);
  await expect(card(page, 'REQ-200').nth(1)).toContainText('duplicate id');
  await expect(card(page, '101')).toContainText('inferred');

  await expect(card(page, 'REQ-201')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Show deprecated' }).check();
  await expect(card(column(page, 'Test written'), 'REQ-201')).toContainText('deprecated');

  const { text } = await download(page);
  expect(text).toBe(readFileSync(matrixFixture('messy.json'), 'utf8'));
});

for (const name of ['bare_array.json', 'keyed_map.json', 'nested_containers.json', 'tabs_crlf.json', 'bom.json']) {
  test(`shape ${name}: imports and exports byte for byte`, async ({ page }) => {
    await page.goto('/');
    await importMatrix(page, matrixFixture(name));
    await expect(page.getByRole('status')).toContainText('Imported');
    const { text } = await download(page);
    const original = readFileSync(matrixFixture(name));
    expect(Buffer.from(text, 'utf8').equals(original)).toBe(true);
  });
}

test('a file with no requirements says what it found and what was expected', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, matrixFixture('settings.json'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('No requirements found: the file holds an object with the keys "theme", "editor", "recent"');
  await expect(alert).toContainText('The board looks for a list or a map of requirement objects');
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
});
