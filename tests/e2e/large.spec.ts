// A large board stays usable: long columns render only what is in view, yet scrolling,
// search, keyboard focus and screen-reader positions cover every card.
import { expect, test } from '@playwright/test';
import { card, column, withoutFilePicker } from './helpers';

const STAGE_KEYS = ['backlog', 'test_written', 'red', 'green', 'reviewed'];

function largeMatrix(n: number): string {
  const requirements = Array.from({ length: n }, (_, i) => ({
    id: `REQ-${String(i).padStart(5, '0')}`,
    ears: `WHEN request ${i} arrives THE SYSTEM SHALL answer within ${i % 500} ms and log the outcome for audit.`,
    priority: ['low', 'medium', 'high', 'critical'][i % 4],
    status: 'in_progress',
    tests: [`tests/t${i}.py`],
    code: i % 5 >= 2 ? [`src/c${i}.py`] : [],
    tdd_stage: STAGE_KEYS[i % 5],
  }));
  return JSON.stringify({ meta: { n }, requirements }, null, 2);
}

test('2,000 requirements: windowed columns, scrolling, search and keyboard', async ({ page }) => {
  await page.goto('/');
  await withoutFilePicker(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles({ name: 'large.json', mimeType: 'application/json', buffer: Buffer.from(largeMatrix(2000)) });
  await expect(page.getByRole('status')).toContainText('Imported 2000 requirements: 400 Backlog, 400 Test written');

  const backlog = column(page, 'Backlog');
  await expect(backlog.locator('.count')).toHaveText('400');
  const rendered = await page.locator('[role=button][aria-roledescription]').count();
  expect(rendered).toBeLessThan(200);
  await expect(backlog.getByRole('listitem').first()).toHaveAttribute('aria-setsize', '400');

  // Scrolling the column brings later cards in.
  await backlog.locator('.cards-scroll').evaluate((el) => (el.scrollTop = 132 * 200));
  await expect(card(backlog, 'REQ-01000')).toBeVisible();
  await expect(card(backlog, 'REQ-01000').locator('..')).toHaveAttribute('aria-posinset', '201');

  // Search reaches cards that were never rendered.
  await page.getByRole('searchbox', { name: 'Search cards' }).fill('request 1995 arrives');
  await expect(card(page, 'REQ-01995')).toBeVisible();
  await expect(page.locator('[role=button][aria-roledescription]')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search cards' }).fill('');

  // Arrow keys walk the column past the rendered window, and focus follows.
  await backlog.locator('.cards-scroll').evaluate((el) => (el.scrollTop = 0));
  await card(backlog, 'REQ-00000').focus();
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
  await expect(card(backlog, 'REQ-00150')).toBeFocused();

  // And a move from a long column works.
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await expect(card(column(page, 'Test written'), 'REQ-00150')).toBeFocused();
  await expect(column(page, 'Test written').locator('.count')).toHaveText('401');
});

test('search ignores case in every script', async ({ page }) => {
  await page.goto('/');
  await withoutFilePicker(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  const requirements = [
    { id: 'REQ-1', ears: 'WHEN the Überprüfung starts THE SYSTEM SHALL lock the ledger.' },
    { id: 'REQ-2', ears: 'THE SYSTEM SHALL show ΣΥΝΟΨΗ totals.' },
    { id: 'REQ-3', ears: 'THE SYSTEM SHALL export CSV files.', tests: ['tests/Export_Test.py'] },
  ];
  await (await chooser).setFiles({
    name: 'traceability_matrix.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ requirements })),
  });
  const search = page.getByRole('searchbox', { name: 'Search cards' });
  const cards = page.locator('[role=button][aria-roledescription]');
  await expect(cards).toHaveCount(3);
  for (const [needle, id] of [['überprüfung', 'REQ-1'], ['ÜBERPRÜFUNG', 'REQ-1'], ['συνοψη', 'REQ-2'], ['export_test', 'REQ-3']]) {
    await search.fill(needle);
    await expect(cards).toHaveCount(1);
    await expect(card(page, id)).toBeVisible();
  }
  await search.fill('no such words');
  await expect(cards).toHaveCount(0);
});
