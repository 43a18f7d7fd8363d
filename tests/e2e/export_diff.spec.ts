// A team's git diff after one move shows that requirement's lines and nothing else.
import { expect, test } from '@playwright/test';
import { card, column, download, dragWithMouse, fileAction, fixture, importMatrix, readFixture } from './helpers';

test('a Python-written file: one move changes only that requirement\'s lines', async ({ page }) => {
  const original = readFixture('journey_python.json');
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await dragWithMouse(page, card(page, 'REQ-001'), column(page, 'Test written'));
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  const { text } = await download(page);

  const before = original.split('\n');
  const after = text.split('\n');
  // The requirement REQ-001 spans these lines of the original (1-based, inclusive).
  const start = before.findIndex((l) => l.includes('"id": "REQ-001"')) - 1;
  const end = before.findIndex((l, i) => i > start && l === '    },');
  const grown = after.length - before.length;
  expect(after.slice(0, start)).toEqual(before.slice(0, start));
  expect(after.slice(end + 1 + grown)).toEqual(before.slice(end + 1));
  const changed = after.slice(start, end + 1 + grown).join('\n');
  expect(changed).toContain('"tdd_stage": "test_written"');
  expect(changed).toContain('"notes": [\n        "Caf\\u00e9 users first \\u2014 see \\u6771\\u4eac pilot"\n      ]');
  expect(text.endsWith('}')).toBe(true); // json.dump writes no final newline, and neither do we
  expect(/[^\x00-\x7f]/.test(text)).toBe(false); // still ASCII, as Python wrote it
});

test('copy to the clipboard gives the same text as the download', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await (await fileAction(page, 'Copy matrix')).click();
  await expect(page.getByRole('status')).toContainText('Copied the matrix to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(readFixture('journey_python.json'));
});
