// Cases a hostile review of issue #15 found, kept as journeys: each failed before its fix.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { card, column, download, fileAction, fixture, importMatrix, live, readFixture, savedNote } from './helpers';

test.use({ reducedMotion: 'reduce' });

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tb-review-')), name);
  writeFileSync(path, text);
  return path;
}

const withRedLimit = () =>
  readFixture('planning.json').replace('"version": "1.0"', '"version": "1.0",\n    "wip_limits": {"red": 4}');

async function setLimit(page: Page, stage: string, value: string) {
  await page.getByRole('button', { name: `${stage} column menu` }).click();
  const field = page.getByRole('spinbutton', { name: 'WIP limit' });
  await field.fill(value);
  await field.press('Enter');
  await page.keyboard.press('Escape');
}

test('a limit the file gave, cleared by the person, stays cleared after a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await importMatrix(page, tempFile('limits.json', withRedLimit()));
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 5 of 4, over the limit');
  await setLimit(page, 'Red', '');
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 5 cards');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.reload();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 5 cards');
});

test('"Save limits in the file" on a newly opened file keeps the limits that file keeps', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await importMatrix(page, fixture('planning.json'));
  await expect(card(page, 'REQ-001')).toBeVisible();
  await setLimit(page, 'Green', '2');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles({ name: 'limits.json', mimeType: 'application/json', buffer: Buffer.from(withRedLimit()) });
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 5 of 4, over the limit');
  await setLimit(page, 'Green', '3');
  await page.getByRole('button', { name: 'Green column menu' }).click();
  await page.getByRole('button', { name: 'Save limits in the file' }).click();
  await page.keyboard.press('Escape');
  const exported = JSON.parse((await download(page)).text);
  expect(exported.meta.wip_limits).toEqual({ red: 4, green: 3 });
});

test('applying a suggested move that puts a column over its limit warns like every other move', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import test results')).click();
  await (await chooser).setFiles(fixture('example_results.xml'));
  await setLimit(page, 'Red', '1');
  const panel = page.getByRole('region', { name: 'Suggested moves' });
  await panel.getByRole('button', { name: 'Apply: REQ-005 to Red' }).click();
  await expect(card(column(page, 'Red'), 'REQ-005')).toBeVisible();
  await expect(column(page, 'Red')).toHaveAccessibleDescription(/over the limit/);
  await expect(live(page)).toContainText('over the limit');
});

const STORY = 'R&D = #1 café +more';

test('a story with & = # + and non-ASCII survives the address round trip and a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  const m = JSON.parse(readFixture('planning.json'));
  m.requirements[0].story = STORY; // REQ-001, Red
  m.requirements[4].story = 'R'; // REQ-005, Red
  await importMatrix(page, tempFile('odd.json', JSON.stringify(m, null, 2)));
  await expect(card(page, 'REQ-001')).toBeVisible();
  await page.getByRole('button', { name: /^Filters/ }).click();
  await page.getByRole('combobox', { name: 'Story filter' }).selectOption(STORY);
  await page.keyboard.press('Escape');
  const chips = page.getByRole('group', { name: 'Active filters' });
  await expect(chips.getByRole('button', { name: `Remove filter Story: ${STORY}` })).toBeVisible();
  await expect(card(column(page, 'Red'), 'REQ-005')).toHaveCount(0);
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.reload();
  await expect(chips.getByRole('button', { name: `Remove filter Story: ${STORY}` })).toBeVisible();
  await expect(card(column(page, 'Red'), 'REQ-001')).toBeVisible();
  await expect(card(column(page, 'Red'), 'REQ-005')).toHaveCount(0);
  await card(page, 'REQ-001').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('card=REQ-001');
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('story'))).toBe(STORY);
});

test('Right from a card reaches the next card in a lane the board has not drawn yet', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  const reqs: object[] = [{ id: 'REQ-A', ears: 'a', story: 'S000', tdd_stage: 'test_written', tests: ['t'] }];
  for (let i = 1; i < 300; i++) reqs.push({ id: `REQ-${1000 + i}`, ears: 'x', story: `S${String(i).padStart(3, '0')}`, tdd_stage: 'backlog' });
  reqs.push({ id: 'REQ-B', ears: 'b', story: 'S300', tdd_stage: 'red', tests: ['t'] });
  await importMatrix(page, tempFile('lanes.json', JSON.stringify({ meta: {}, requirements: reqs }, null, 2)));
  await expect(card(page, 'REQ-A')).toBeVisible();
  await page.getByRole('combobox', { name: 'Group by' }).selectOption('story');
  await card(page, 'REQ-A').focus();
  await page.keyboard.press('ArrowRight');
  await expect(card(page, 'REQ-B')).toBeFocused();
});

test('a link\'s unknown value of a filter is left out, and each chip removes its own filter', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  const m = JSON.parse(readFixture('planning.json'));
  delete m.requirements[0].tdd_stage; // REQ-001: its stage is inferred
  await importMatrix(page, tempFile('inferred.json', JSON.stringify(m, null, 2)));
  await expect(card(page, 'REQ-001')).toBeVisible();
  await page.evaluate(() => (location.hash = '#inferred=no&inferred=maybe&priority=high'));
  await expect(card(page, 'REQ-001')).toHaveCount(0);
  const chips = page.getByRole('group', { name: 'Active filters' });
  await expect(chips.getByRole('button', { name: /^Remove filter/ })).toHaveCount(2);
  await chips.getByRole('button', { name: 'Remove filter Stage: read from the file' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expect(chips.getByRole('button', { name: /^Remove filter/ })).toHaveCount(1);
});

test('a deprecated card does not count towards a limit, so lifting it over a full column does not warn', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  const m = JSON.parse(readFixture('planning.json'));
  m.requirements[11].status = 'deprecated'; // REQ-012, Backlog
  m.requirements[11].tests = ['tests/test_dark.py'];
  m.requirements[5].tests = ['tests/test_tax.py']; // REQ-006, Test written
  await importMatrix(page, tempFile('deprecated.json', JSON.stringify(m, null, 2)));
  await expect(card(page, 'REQ-001')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Show deprecated' }).check();
  await setLimit(page, 'Red', '5');
  await card(page, 'REQ-012').focus();
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(live(page)).toHaveText('REQ-012 is over Red.');
  await page.keyboard.press('Escape');
  // A card that counts does warn.
  await card(page, 'REQ-006').focus();
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowRight');
  await expect(live(page)).toContainText('puts Red over its limit of 5');
  await page.keyboard.press('Escape');
});
