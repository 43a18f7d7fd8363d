// The toolbar and the board's header: the "File" menu of rarer actions (opened and closed
// from the keyboard), icon-only Undo and Redo, the summary line and stage bar following
// moves, a long report folded to its first line, and the narrow window's "Menu".
import { expect, test } from '@playwright/test';
import { card, column, fileAction, moveWithMenu } from './helpers';

test('the File menu opens from the keyboard, Escape closes it and gives focus back', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  const file = page.getByRole('button', { name: 'File', exact: true });
  const close = page.getByRole('button', { name: 'Close board' });
  await expect(close).toBeHidden();
  await file.focus();
  await page.keyboard.press('Enter');
  await expect(close).toBeVisible();
  // Tab walks into the menu's items, Escape closes it and focus is back on "File".
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Open project folder' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(close).toBeHidden();
  await expect(file).toBeFocused();
  // An action closes the menu after it runs.
  await (await fileAction(page, 'Close board')).click();
  await expect(close).toBeHidden();
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
});

test('the summary counts requirements, reviewed and gaps, and follows moves and undo', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  const line = page.locator('.summary-line');
  const bar = page.getByRole('img', { name: /^Cards by stage/ });
  await expect(line).toHaveText('12 requirements · 2 reviewed · 0 with gaps');
  await expect(bar).toHaveAccessibleName('Cards by stage: Backlog 4, Test written 2, Red 2, Green 2, Reviewed 2');
  // REQ-001 has no tests: in Test written (the gate overridden) it is a gap.
  await moveWithMenu(page, 'REQ-001', 'Test written');
  const dialog = page.getByRole('dialog', { name: 'Override the TDD gate for REQ-001?' });
  await dialog.getByRole('textbox', { name: 'Reason for the override' }).fill('Tests come next');
  await dialog.getByRole('button', { name: 'Override and move' }).click();
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await expect(line).toHaveText('12 requirements · 2 reviewed · 1 with gaps');
  await expect(bar).toHaveAccessibleName('Cards by stage: Backlog 3, Test written 3, Red 2, Green 2, Reviewed 2');
  // Undo, the icon button, keeps its name.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(line).toHaveText('12 requirements · 2 reviewed · 0 with gaps');
  await page.keyboard.press('Control+Shift+z');
  await expect(line).toHaveText('12 requirements · 2 reviewed · 1 with gaps');
});

test('a long report shows its first line, and the rest on Show details', async ({ page }) => {
  await page.goto('/');
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents folder')).click();
  await (await chooser).setFiles('tests/fixtures/agents');
  const report = page.getByRole('status');
  await expect(report.getByText(/^Imported \d+ agents/)).toBeVisible();
  await expect(report.getByText(/read line by line/).first()).toBeHidden();
  await report.getByText('Show details').click();
  await expect(report.getByText(/read line by line/).first()).toBeVisible();
  // A short report shows whole, with nothing to unfold.
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(report).toContainText('Imported 12 requirements');
  await expect(report.getByText('Show details')).toBeHidden();
});

test('on a narrow window the actions fold into Menu, search stays, columns keep their titles', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search cards' })).toBeVisible();
  const exportButton = page.getByRole('button', { name: 'Export matrix' });
  await expect(exportButton).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  await menu.click();
  await expect(exportButton).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(exportButton).toBeHidden();
  await expect(menu).toBeFocused();
  // The Backlog column scrolls its cards under its title, which stays in view.
  const backlog = column(page, 'Backlog');
  await backlog.locator('.cards-scroll').evaluate((el) => el.scrollBy(0, 400));
  await expect(backlog.getByRole('heading', { name: 'Backlog' })).toBeInViewport();
});
