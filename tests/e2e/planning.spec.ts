// Planning the board (issue #15): filters beside the search with chips and "Clear filters",
// kept in the address; swimlanes ("Group by") with drags and the keyboard across lanes; a
// column's WIP limit that warns; the sort within columns. Screenshots of each, light and dark.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  card,
  column,
  download,
  dragWithMouse,
  fixture,
  importMatrix,
  live,
  moveWithMenu,
  readFixture,
  savedNote,
  settled,
} from './helpers';

test.use({ reducedMotion: 'reduce' });

const shot = (name: string) => `target/screens/${name}.png`;

async function open(page: Page) {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await importMatrix(page, fixture('planning.json'));
  await expect(card(page, 'REQ-001')).toBeVisible();
}

/** The ids of the cards a column (or a lane's column) shows, top to bottom. */
async function ids(scope: Locator): Promise<string[]> {
  const names = await scope.getByRole('button', { name: /^REQ-\d+/ }).evaluateAll((cards) =>
    cards.map((c) => c.querySelector('.card-id')?.textContent ?? ''),
  );
  return names;
}

async function addFilter(page: Page, facet: string, value: string) {
  const menu = page.getByRole('button', { name: /^Filters/ });
  await menu.click();
  await page.getByRole('combobox', { name: `${facet} filter` }).selectOption(value);
  await page.keyboard.press('Escape');
}

const lane = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test('filters combine, show as chips with shown of total, live in the address and come back after a reload', async ({ page }) => {
  await open(page);
  await addFilter(page, 'Priority', 'high');
  await addFilter(page, 'Story', 'Billing');
  const chips = page.getByRole('group', { name: 'Active filters' });
  await expect(chips.getByRole('button', { name: 'Remove filter Priority: high' })).toBeVisible();
  await expect(chips.getByRole('button', { name: 'Remove filter Story: Billing' })).toBeVisible();
  await expect(chips).toContainText('2 of 12 cards shown');
  // Priority high and story Billing: REQ-004 (Backlog) and REQ-005 (Red).
  expect(await ids(column(page, 'Backlog'))).toEqual(['REQ-004']);
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-005']);
  await expect(column(page, 'Red').locator('.count')).toHaveText('1 of 5');
  await expect(column(page, 'Backlog').locator('.count')).toHaveText('1 of 3');
  await expect(page.getByRole('button', { name: /^Filters/ })).toContainText('2');
  // Two values of one filter show either.
  await addFilter(page, 'Priority', 'critical');
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-005']);
  await chips.getByRole('button', { name: 'Remove filter Story: Billing' }).click();
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-001', 'REQ-002', 'REQ-005']);
  expect(await ids(column(page, 'Green'))).toEqual(['REQ-010']);

  // In the address, and back after a reload.
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#priority=high&priority=critical');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.reload();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expect(chips.getByRole('button', { name: 'Remove filter Priority: critical' })).toBeVisible();
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-001', 'REQ-002', 'REQ-005']);
  await expect(card(page, 'REQ-011')).toHaveCount(0);

  await chips.getByRole('button', { name: 'Clear filters' }).click();
  await expect(chips).toBeHidden();
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-001', 'REQ-002', 'REQ-005', 'REQ-009', 'REQ-011']);
  await expect(column(page, 'Red').locator('.count')).toHaveText('5');
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('');
});

test('a link with filters, the search and a card opens the board filtered with the card open', async ({ page }) => {
  await open(page);
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.goto('/#type=performance&health=no-code&q=report&card=REQ-009');
  await expect(page.getByRole('dialog', { name: /^REQ-009\b/ })).toBeVisible();
  await page.getByRole('button', { name: 'Close details' }).click();
  const chips = page.getByRole('group', { name: 'Active filters' });
  await expect(chips.getByRole('button', { name: 'Remove filter Type: performance' })).toBeVisible();
  await expect(chips.getByRole('button', { name: 'Remove filter Health: Missing code' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search cards' })).toHaveValue('report');
  // Performance, no code, "report" in the text: REQ-009 only (REQ-010 has code).
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-009']);
  expect(await ids(column(page, 'Green'))).toEqual([]);
  // An address changed by hand is followed.
  await page.evaluate(() => (location.hash = '#story=Login'));
  await expect(chips.getByRole('button', { name: 'Remove filter Story: Login' })).toBeVisible();
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-001', 'REQ-002', 'REQ-011']);
});

test('the health panel\'s "Show only these" is a filter chip', async ({ page }) => {
  await open(page);
  const health = page.getByRole('region', { name: 'Health' });
  await health.getByText(/^Health:/).click();
  await health.getByRole('button', { name: 'Show only these: Missing tests' }).click();
  const chips = page.getByRole('group', { name: 'Active filters' });
  await expect(chips.getByRole('button', { name: 'Remove filter Health: Missing tests' })).toBeVisible();
  expect(await ids(column(page, 'Backlog'))).toEqual(['REQ-004', 'REQ-008', 'REQ-012']);
  expect(await ids(column(page, 'Red'))).toEqual([]);
  await health.getByRole('button', { name: 'Show all cards (now: Missing tests)' }).click();
  await expect(chips).toBeHidden();
});

test('lanes group the cards, fold, and keep a dragged card in its own lane', async ({ page }) => {
  await open(page);
  await page.getByRole('combobox', { name: 'Group by' }).selectOption('story');
  const billing = lane(page, 'Story: Billing');
  const login = lane(page, 'Story: Login');
  await expect(billing).toBeVisible();
  await expect(lane(page, 'No story')).toBeVisible();
  expect(await ids(billing.getByRole('group', { name: 'Red' }))).toEqual(['REQ-005']);
  expect(await ids(login.getByRole('group', { name: 'Red' }))).toEqual(['REQ-001', 'REQ-002', 'REQ-011']);
  await expect(billing.getByRole('heading')).toContainText('3 cards');
  await page.screenshot({ path: shot('lanes-light') });

  // Drop REQ-006 (Billing, Test written) on Login's Red: it goes to Red, and stays in Billing.
  await dragWithMouse(page, card(billing, 'REQ-006'), login.getByRole('group', { name: 'Red' }));
  await expect(card(billing.getByRole('group', { name: 'Red' }), 'REQ-006')).toBeVisible();
  await expect(card(login, 'REQ-006')).toHaveCount(0);
  await expect(live(page)).toContainText('REQ-006');

  // Fold a lane: its cards go, its heading stays with its count.
  const toggle = login.getByRole('button', { name: 'Story: Login' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(card(login, 'REQ-001')).toHaveCount(0);
  await toggle.click();
  await expect(card(login, 'REQ-001')).toBeVisible();

  // The grouping is kept with the board.
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.reload();
  await expect(lane(page, 'Story: Billing')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Group by' })).toHaveValue('story');
  await page.getByRole('combobox', { name: 'Group by' }).selectOption('priority');
  await expect(lane(page, 'Priority: critical')).toBeVisible();
  const names = await page.locator('.lane-toggle').allTextContents();
  expect(names.map((n) => n.replace(/^[▾▸]/, ''))).toEqual([
    'Priority: critical',
    'Priority: high',
    'Priority: medium',
    'Priority: low',
    'No priority',
  ]);
});

test('the keyboard walks a column across lanes and changes column with Left and Right', async ({ page }) => {
  await open(page);
  await page.getByRole('combobox', { name: 'Group by' }).selectOption('story');
  await card(page, 'REQ-005').focus();
  // Red, lane after lane: Billing REQ-005, Login REQ-001, REQ-002, REQ-011, Reports REQ-009.
  for (const id of ['REQ-001', 'REQ-002', 'REQ-011', 'REQ-009']) {
    await page.keyboard.press('ArrowDown');
    await expect(card(page, id)).toBeFocused();
  }
  await page.keyboard.press('ArrowUp');
  await expect(card(page, 'REQ-011')).toBeFocused();
  // Right from REQ-011 (Login Red, third): Login Green has REQ-003 only.
  await page.keyboard.press('ArrowRight');
  await expect(card(page, 'REQ-003')).toBeFocused();
  // Right again: no card of Login in Reviewed; the nearest lane below that has one (No story).
  await page.keyboard.press('ArrowRight');
  await expect(card(page, 'REQ-007')).toBeFocused();
  // Left from REQ-007: No story's Green is empty, and so is every lane's below it; above,
  // the last card of Green is Reports' REQ-010.
  await page.keyboard.press('ArrowLeft');
  await expect(card(page, 'REQ-010')).toBeFocused();
  // A picked-up card still moves with Left and Right.
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press(' ');
  await expect(card(lane(page, 'Story: Reports').getByRole('group', { name: 'Reviewed' }), 'REQ-010')).toBeVisible();
});

test('a WIP limit warns in the header and on a drop that passes it, and the move is made', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Red column menu' }).click();
  const field = page.getByRole('spinbutton', { name: 'WIP limit' });
  await field.fill('5');
  await field.press('Enter');
  await page.keyboard.press('Escape');
  const red = column(page, 'Red');
  await expect(red).toHaveAccessibleDescription('Red: 5 of 5');
  await expect(red.getByText('limit 5')).toBeVisible();
  await moveWithMenu(page, 'REQ-006', 'Red');
  await expect(card(red, 'REQ-006')).toBeVisible();
  await expect(live(page)).toContainText('Red: 6 of 5, over the limit');
  await expect(red).toHaveAccessibleDescription('Red: 6 of 5, over the limit');
  await expect(red.getByText('over limit of 5')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'over the limit' })).toBeVisible();
  await page.screenshot({ path: shot('wip-over-light') });

  // A keyboard lift over the column says so before the drop.
  await card(page, 'REQ-003').focus();
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowLeft');
  await expect(live(page)).toContainText('puts Red over its limit of 5');
  await page.keyboard.press('Escape');

  // A wrong number is refused with a reason; the limit stays. Kept with the board.
  await page.getByRole('button', { name: 'Red column menu' }).click();
  await field.fill('0');
  await field.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'not a whole number of 1 or more' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.reload();
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 6 of 5, over the limit');
  // Emptied, there is no limit.
  await page.getByRole('button', { name: 'Red column menu' }).click();
  await field.fill('');
  await field.press('Enter');
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 6 cards');
});

test('sorting orders each column and is kept with the board', async ({ page }) => {
  await open(page);
  const sort = page.getByRole('combobox', { name: 'Sort' });
  const red = column(page, 'Red');
  expect(await ids(red)).toEqual(['REQ-001', 'REQ-002', 'REQ-005', 'REQ-009', 'REQ-011']);
  await sort.selectOption('priority');
  // critical, high, high, medium, medium (ties in file order).
  expect(await ids(red)).toEqual(['REQ-002', 'REQ-001', 'REQ-005', 'REQ-009', 'REQ-011']);
  // Into Red: REQ-002 02-20, REQ-001 03-02, REQ-005 03-04, REQ-009 03-06, REQ-011 03-07.
  await sort.selectOption('time_in_stage');
  expect(await ids(red)).toEqual(['REQ-002', 'REQ-001', 'REQ-005', 'REQ-009', 'REQ-011']);
  await sort.selectOption('last_moved');
  expect(await ids(red)).toEqual(['REQ-011', 'REQ-009', 'REQ-005', 'REQ-001', 'REQ-002']);
  // A card moved now is the last moved: first in its new column.
  await moveWithMenu(page, 'REQ-006', 'Red');
  await expect.poll(() => ids(red)).toEqual(['REQ-006', 'REQ-011', 'REQ-009', 'REQ-005', 'REQ-001', 'REQ-002']);
  await sort.selectOption('id');
  await expect(savedNote(page)).toHaveText(/Saved in this browser/);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('id');
  expect(await ids(column(page, 'Red'))).toEqual(['REQ-001', 'REQ-002', 'REQ-005', 'REQ-006', 'REQ-009', 'REQ-011']);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`planning controls look right and pass axe, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page);
    await settled(page);
    await page.getByRole('button', { name: /^Filters/ }).click();
    await page.screenshot({ path: shot(`filters-menu-${scheme}`) });
    expect((await new AxeBuilder({ page }).include('#filter-popover').analyze()).violations).toEqual([]);
    await page.getByRole('combobox', { name: 'Owner filter' }).selectOption('ana');
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Group by' }).selectOption('priority');
    await page.getByRole('button', { name: 'Red column menu' }).click();
    await page.getByRole('spinbutton', { name: 'WIP limit' }).fill('1');
    await page.getByRole('spinbutton', { name: 'WIP limit' }).press('Enter');
    await page.keyboard.press('Escape');
    await page.screenshot({ path: shot(`lanes-filtered-${scheme}`), fullPage: true });
    expect((await new AxeBuilder({ page }).include('.board-area').analyze()).violations).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot(`lanes-narrow-${scheme}`) });
  });
}

test('limits go into the file\'s meta only when asked, undo takes them out, and a file\'s limits come to the board', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Green column menu' }).click();
  const field = page.getByRole('spinbutton', { name: 'WIP limit' });
  await field.fill('2');
  await field.press('Enter');
  // Set with the board only: the export is the file as it was.
  let exported = JSON.parse((await download(page)).text);
  expect(exported.meta).toEqual({ project: 'Shop', version: '1.0' });
  await page.getByRole('button', { name: 'Green column menu' }).click();
  await page.getByRole('button', { name: 'Save limits in the file' }).click();
  await expect(live(page)).toContainText("meta.wip_limits");
  exported = JSON.parse((await download(page)).text);
  expect(exported.meta).toEqual({ project: 'Shop', version: '1.0', wip_limits: { green: 2 } });
  // Everything else of the file is as it was.
  expect(exported.requirements).toEqual(JSON.parse(readFixture('planning.json')).requirements);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Undo' }).click();
  exported = JSON.parse((await download(page)).text);
  expect(exported.meta.wip_limits).toBeUndefined();

  // A file that keeps limits gives them to the board.
  const withLimits = readFixture('planning.json').replace('"version": "1.0"', '"version": "1.0",\n    "wip_limits": {"red": 4}');
  await page.getByRole('button', { name: 'Red column menu' }).click();
  await page.keyboard.press('Escape');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles({ name: 'limits.json', mimeType: 'application/json', buffer: Buffer.from(withLimits) });
  // Another file: its own layout, with the limits it keeps; the first file's stay with it.
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 5 of 4, over the limit');
  await expect(column(page, 'Green')).toHaveAccessibleDescription('Green: 2 cards');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(column(page, 'Green')).toHaveAccessibleDescription('Green: 2 of 2');
  await expect(column(page, 'Red')).toHaveAccessibleDescription('Red: 5 cards');
});
