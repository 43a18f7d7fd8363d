// Screenshots of a card's details and of "New requirement" (target/screens), light, dark and
// narrow, for review; axe checks the dialogs in both schemes.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { card, moveWithMenu } from './helpers';

test.use({ reducedMotion: 'reduce' });

const shot = (name: string) => `target/screens/${name}.png`;

async function openDetails(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-004')).toBeVisible();
  await moveWithMenu(page, 'REQ-004', 'Red');
  await card(page, 'REQ-004').click();
  await expect(page.getByRole('dialog', { name: /^REQ-004\b/ })).toBeVisible();
}

for (const scheme of ['light', 'dark'] as const) {
  test(`details and new requirement, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1400, height: 900 });
    await openDetails(page);
    await page.screenshot({ path: shot(`details-${scheme}`) });
    // The end of the details: history, other keys, actions.
    await page.getByRole('button', { name: 'Deprecate' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot(`details-end-${scheme}`) });
    expect((await new AxeBuilder({ page }).include('dialog[open]').analyze()).violations).toEqual([]);
    await page.getByRole('button', { name: 'Close details' }).click();

    await page.getByRole('button', { name: 'New requirement in Backlog' }).click();
    const dialog = page.getByRole('dialog', { name: 'New requirement' });
    await dialog.getByRole('button', { name: 'Unwanted behaviour template' }).click();
    await page.screenshot({ path: shot(`new-requirement-${scheme}`) });
    expect((await new AxeBuilder({ page }).include('dialog[open]').analyze()).violations).toEqual([]);
  });
}

test('details and new requirement, narrow', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openDetails(page);
  await page.screenshot({ path: shot('details-narrow') });
  await page.getByRole('dialog', { name: /^REQ-004\b/ }).getByRole('textbox', { name: 'New test' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('details-narrow-lists') });
  await page.getByRole('button', { name: 'Close details' }).click();
  await page.getByRole('button', { name: 'New requirement in Backlog' }).click();
  await page.screenshot({ path: shot('new-requirement-narrow') });
});

test('test results: the suggested moves and a card with failures', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.getByRole('button', { name: 'Import test results', exact: true }).click();
  await (await chooser).setFiles('tests/e2e/fixtures/example_results.xml');
  await expect(page.getByRole('region', { name: 'Suggested moves' })).toBeVisible();
  await page.screenshot({ path: shot('suggested-moves') });
  expect((await new AxeBuilder({ page }).include('.suggested').analyze()).violations).toEqual([]);
  await page.getByRole('region', { name: 'Health' }).getByText(/^Health:/).click();
  await page.screenshot({ path: shot('health') });
  expect((await new AxeBuilder({ page }).include('.health').analyze()).violations).toEqual([]);
});
