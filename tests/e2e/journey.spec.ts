// The user's journey of the end-to-end board: open a matrix, drag a card, export, reload.
import { expect, test } from '@playwright/test';
import { card, column, download, dragWithMouse, expectCardIn, fixture, importMatrix, readFixture, STAGES } from './helpers';

test('the empty board says what to do next', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Import matrix' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
  await expect(page.getByText('drop a file anywhere on this page')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export matrix' })).toBeDisabled();
});

test('the example board opens with cards in every column', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  for (const title of STAGES) {
    await expect(column(page, title).getByRole('button').first()).toBeVisible();
  }
  await expect(page.getByRole('status')).toContainText('Imported 12 requirements');
});

test('import, drag from Backlog to Test written, export, reload', async ({ page }) => {
  const original = JSON.parse(readFixture('journey_python.json'));
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));

  await expect(page.getByRole('status')).toContainText('Imported 5 requirements: 2 Backlog, 0 Test written, 1 Red, 1 Green, 1 Reviewed.');
  await expect(column(page, 'Backlog').getByRole('heading')).toHaveText('Backlog');
  const req1 = card(page, 'REQ-001');
  await expect(req1).toContainText('1 test');
  await expect(card(page, 'REQ-005')).toContainText('inferred');

  await dragWithMouse(page, req1, column(page, 'Test written'));
  await expectCardIn(page, 'REQ-001', 'Test written');
  await expect(page.getByText('REQ-001 moved from Backlog to Test written.')).toBeAttached();

  const { name, text } = await download(page);
  expect(name).toBe('journey_python.json');
  const exported = JSON.parse(text);
  const moved = exported.requirements[0];
  expect(moved.tdd_stage).toBe('test_written');
  expect(moved.status).toBe('in_progress');
  expect(moved.tdd_history).toHaveLength(1);
  expect(moved.tdd_history[0]).toMatchObject({ from: 'backlog', to: 'test_written' });
  expect(new Date(moved.tdd_history[0].at).getTime()).not.toBeNaN();
  // Every other field of the moved requirement, and everything else, is unchanged.
  const { tdd_stage, tdd_history, status, ...rest } = moved;
  const { tdd_stage: _s, status: _t, ...originalRest } = original.requirements[0];
  expect(rest).toEqual(originalRest);
  expect(exported.meta).toEqual(original.meta);
  expect(exported.requirements.slice(1)).toEqual(original.requirements.slice(1));
  expect(text).toContain('"weight": 1.5,');

  await page.reload();
  await expectCardIn(page, 'REQ-001', 'Test written');
  await expect(page.getByText('journey_python.json', { exact: true })).toBeVisible();
  await expect(page.getByText(/Restored from this browser, saved \d\d:\d\d/)).toBeVisible();
});

test('a broken file gets a message with line and column, and the board stays', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await importMatrix(page, fixture('../../fixtures/matrix/broken.json'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not import broken.json');
  await expect(alert).toContainText('line 4, column 40');
  await expect(card(page, 'REQ-001')).toBeVisible();
});

test('corrupt saved data gives a message and an empty board', async ({ page }) => {
  // Written before the app first runs: it reads storage as soon as it starts.
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', 'yes');
      localStorage.setItem('traceboard.board.v1', '{"file_name": 3');
    }
  });
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('could not be read');
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
  const kept = await page.evaluate(() => localStorage.getItem('traceboard.board.v1.unreadable'));
  expect(kept).toBe('{"file_name": 3');
});
