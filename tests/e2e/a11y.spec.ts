// Accessibility checks with axe: no serious or critical violation on the empty board, a
// loaded board (light and dark), a board in the middle of a drag, and the toolbar's menus open
// (wide and narrow, light and dark).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { card, column, fileAction, settled } from './helpers';

// Reduced motion: colour and border changes apply at once, so what is checked is the end state.
test.use({ reducedMotion: 'reduce' });

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(serious).toEqual([]);
}

test('empty board', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('loaded board, light and dark', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await settled(page);
  await expectNoSeriousViolations(page);
});

test('mid-drag, and with a Move to… menu open', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  const source = await card(page, 'REQ-004').boundingBox();
  const target = await column(page, 'Red').boundingBox();
  await page.mouse.move(source!.x + 20, source!.y + 20);
  await page.mouse.down();
  await page.mouse.move(target!.x + 50, target!.y + 100, { steps: 8 });
  await expect(column(page, 'Red')).toHaveClass(/drop-target/);
  await expectNoSeriousViolations(page);
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await page.getByRole('button', { name: 'Move REQ-004 to…' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('the File menu and the narrow window\'s Menu open, light and dark', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expect(await fileAction(page, 'Close board')).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await settled(page);
  await expectNoSeriousViolations(page);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Menu', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Export matrix' })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await settled(page);
  await expectNoSeriousViolations(page);
});
