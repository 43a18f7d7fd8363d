// Test results as evidence: a JUnit report imported, each card's results, the moves they
// support applied one by one or all at once (one undo), and a broken report explained.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { card, column, download, expectCardIn, fileAction, fixture, importMatrix } from './helpers';

async function importResults(page: Page, name: string) {
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import test results')).click();
  await (await chooser).setFiles(fixture(name));
}

async function openExample(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
}

test('a report lands on the cards and suggests moves; one applies, then all, undone as one', async ({ page }) => {
  await openExample(page);
  await importResults(page, 'example_results.xml');
  await expect(page.getByRole('status').filter({ hasText: 'Read 1 report' })).toContainText(
    'Read 1 report with 7 results: 1 matches no requirement; 3 moves suggested.',
  );
  await expect(card(page, 'REQ-005')).toContainText('1 failed');
  await expect(card(page, 'REQ-008')).toContainText('1 passed');

  // The details list each result with its message, and a result matched by the id in its name.
  await card(page, 'REQ-005').click();
  const details = page.getByRole('dialog', { name: /^REQ-005\b/ });
  await expect(details.getByRole('listitem').filter({ hasText: 'test_five_failures_lock_the_account' })).toContainText(
    'failed tests.auth.lockout_test › test_five_failures_lock_the_account — AssertionError: assert 4 == 5',
  );
  await page.keyboard.press('Escape');
  await card(page, 'REQ-001').click();
  await expect(page.getByRole('dialog', { name: /^REQ-001\b/ })).toContainText('(matched by its id in the name)');
  await page.keyboard.press('Escape');

  const panel = page.getByRole('region', { name: 'Suggested moves' });
  await expect(panel.getByRole('listitem')).toHaveCount(3);
  await panel.getByRole('button', { name: 'Apply: REQ-005 to Red' }).click();
  await expectCardIn(page, 'REQ-005', 'Red');
  await expect(panel.getByRole('listitem')).toHaveCount(2);

  await panel.getByRole('button', { name: 'Apply all' }).click();
  await expectCardIn(page, 'REQ-007', 'Green');
  await expectCardIn(page, 'REQ-011', 'Red');
  await expect(panel).toHaveCount(0);
  const { text } = await download(page);
  const history = JSON.parse(text).requirements.find((r: any) => r.id === 'REQ-011').tdd_history;
  expect(history.at(-1)).toMatchObject({ from: 'reviewed', to: 'red', by: 'test results: example_results.xml', at: '2026-11-29T09:30:00+00:00' });

  // "Apply all" is one step back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectCardIn(page, 'REQ-007', 'Red');
  await expectCardIn(page, 'REQ-011', 'Reviewed');
  await expect(page.getByRole('region', { name: 'Suggested moves' }).getByRole('listitem')).toHaveCount(2);
  await expect(card(column(page, 'Red'), 'REQ-005')).toBeVisible();
});

test('a broken report is explained with its file and line, and the board is untouched', async ({ page }) => {
  await openExample(page);
  await importResults(page, 'broken_results.xml');
  await expect(page.getByRole('alert')).toContainText('Could not read: broken_results.xml, line 4, column');
  await expect(page.getByRole('region', { name: 'Suggested moves' })).toHaveCount(0);
});

test('the results are kept with the board: a reload shows them again', async ({ page }) => {
  await openExample(page);
  await importResults(page, 'example_results.xml');
  await expect(card(page, 'REQ-005')).toContainText('1 failed');
  await page.waitForTimeout(700);
  await page.reload();
  await expect(card(page, 'REQ-005')).toContainText('1 failed');
  await expect(page.getByRole('region', { name: 'Suggested moves' }).getByRole('listitem')).toHaveCount(3);
  // Another file's board never gets them; undo brings back the board they belong to, and
  // them with it.
  await importMatrix(page, fixture('journey_python.json'));
  await expect(card(page, 'REQ-005')).toBeVisible();
  await expect(card(page, 'REQ-005')).not.toContainText('failed');
  await expect(page.getByRole('region', { name: 'Suggested moves' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(card(page, 'REQ-005')).toContainText('1 failed');
});

test('the health panel: findings focus their cards, a kind shows alone, the summary copies', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openExample(page);
  await importResults(page, 'example_results.xml');
  const health = page.getByRole('region', { name: 'Health' });
  await expect(health).toContainText('Health:');
  await health.getByText(/^Health:/).click();
  await expect(health.getByText('Reviewed with failing tests (1)')).toBeVisible();
  await expect(health.getByText('Results that match no requirement (1)')).toBeVisible();
  await expect(health.getByText('tests.misc › test_other')).toBeVisible();
  await health.getByRole('listitem').filter({ hasText: 'Reviewed with failing tests' }).getByRole('button', { name: 'Go to REQ-011' }).click();
  await expect(card(page, 'REQ-011')).toBeFocused();

  await health.getByRole('button', { name: 'Show only these: Reviewed with failing tests' }).click();
  await expect(card(page, 'REQ-011')).toBeVisible();
  await expect(card(page, 'REQ-010')).toHaveCount(0);
  await expect(card(page, 'REQ-001')).toHaveCount(0);
  await health.getByRole('button', { name: /^Show all cards/ }).click();
  await expect(card(page, 'REQ-010')).toBeVisible();

  await health.getByRole('button', { name: 'Copy summary' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('## Traceability: 12 requirements');
  expect(copied).toContain('### Reviewed with failing tests (1)\n\n- REQ-011: 1 failing');
});

test('reports dropped on the page: several at once, a broken one named, the others read', async ({ page }) => {
  await openExample(page);
  const good = readFileSync(fixture('example_results.xml'), 'utf8');
  const broken = readFileSync(fixture('broken_results.xml'), 'utf8');
  await page.evaluate(([good, broken]) => {
    const files = new DataTransfer();
    files.items.add(new File([good], 'junit.xml', { type: 'text/xml' }));
    files.items.add(new File([broken], 'broken.xml', { type: 'text/xml' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
  }, [good, broken]);
  await expect(page.getByRole('status').filter({ hasText: 'Read 1 report' })).toContainText(
    'Could not read: broken.xml, line 4, column',
  );
  await expect(card(page, 'REQ-005')).toContainText('1 failed');
  // The board is still the example's: a report is never taken for a matrix.
  await expect(card(page, 'REQ-012')).toBeVisible();
});
