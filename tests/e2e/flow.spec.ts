// The Flow view (issue 15): the cumulative flow diagram, cycle times and aging work in
// progress of a board whose cards carry a history, their tables with the numbers worked out by
// hand (tests/e2e/fixtures/flow_matrix.json, the clock fixed at 2026-03-10 12:00 UTC), points
// named and opened by keyboard and pointer, the empty state, axe in both schemes, and
// screenshots to look at (test-results/screens/).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { fixture, importMatrix, moveWithMenu } from './helpers';

test.use({ reducedMotion: 'reduce' });

const shot = (name: string) => `test-results/screens/${name}.png`;

async function openFlow(page: Page, matrix = 'flow_matrix.json') {
  await page.clock.setFixedTime(new Date('2026-03-10T12:00:00Z'));
  await page.goto('/');
  await importMatrix(page, fixture(matrix));
  const toggle = page.getByRole('button', { name: 'Flow', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const flow = page.getByRole('region', { name: 'Flow' });
  await expect(flow).toBeVisible();
  return flow;
}

/** The cells of the table row headed `head`, as text. */
async function row(scope: ReturnType<Page['locator']>, head: string) {
  return scope.getByRole('row', { name: new RegExp(`^${head}\\b`) }).getByRole('cell').allInnerTexts();
}

test('three charts with their tables: the cumulative flow per day, cycle times with percentiles, aging', async ({ page }) => {
  const flow = await openFlow(page);
  for (const name of ['Cumulative flow', 'Cycle time', 'Aging work in progress']) {
    await expect(flow.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  // The columns are hidden while the view shows; the summary stays.
  await expect(page.getByRole('region', { name: 'Backlog', exact: true })).toBeHidden();
  await expect(flow).toContainText('1 history step could not be read');

  const cfd = flow.getByRole('figure', { name: 'Cumulative flow' });
  await cfd.getByRole('button', { name: 'Show table: Cumulative flow' }).click();
  await expect(cfd.getByRole('button', { name: 'Hide table: Cumulative flow' })).toHaveAttribute('aria-expanded', 'true');
  const cfdTable = cfd.getByRole('table');
  await expect(cfdTable.getByRole('row')).toHaveCount(11);
  // [Backlog, Test written, Red, Green, Reviewed] at the end of each day.
  expect(await row(cfdTable, '2026-03-01')).toEqual(['6', '1', '1', '0', '0']);
  expect(await row(cfdTable, '2026-03-05')).toEqual(['2', '0', '1', '3', '2']);
  expect(await row(cfdTable, '2026-03-06')).toEqual(['2', '0', '1', '2', '3']);
  // REQ-003 went back from Green to Red on the 7th: Green falls, Red rises.
  expect(await row(cfdTable, '2026-03-07')).toEqual(['2', '0', '2', '1', '3']);
  expect(await row(cfdTable, '2026-03-10')).toEqual(['1', '1', '1', '1', '4']);

  const cycle = flow.getByRole('figure', { name: 'Cycle time' });
  // 3, 3, 6 and 8 days: nearest rank 2 of 4 is 3, rank ⌈3.4⌉ = 4 is 8.
  await expect(cycle).toContainText('50th percentile: 3 days; 85th percentile: 8 days');
  await cycle.getByRole('button', { name: 'Show table: Cycle time' }).click();
  const cycleTable = cycle.getByRole('table');
  await expect(cycleTable.getByRole('caption')).toContainText('50th percentile: 3 days; 85th percentile: 8 days');
  expect(await row(cycleTable, 'REQ-001')).toEqual(['2026-03-01', '2026-03-03', '3']);
  expect(await row(cycleTable, 'REQ-002')).toEqual(['2026-03-01', '2026-03-06', '6']);
  expect(await row(cycleTable, 'REQ-004')).toEqual(['2026-03-03', '2026-03-05', '3']);
  expect(await row(cycleTable, 'REQ-008')).toEqual(['2026-03-02', '2026-03-09', '8']);
  await expect(cycleTable.getByRole('row')).toHaveCount(5);

  const aging = flow.getByRole('figure', { name: 'Aging work in progress' });
  await aging.getByRole('button', { name: 'Show table: Aging work in progress' }).click();
  const agingTable = aging.getByRole('table');
  expect(await row(agingTable, 'REQ-003')).toEqual(['Red', '2026-03-07', '4']);
  expect(await row(agingTable, 'REQ-005')).toEqual(['Green', '2026-03-08', '3']);
  // 08:00 at +02:00 on the 9th is 06:00 UTC on the 9th.
  expect(await row(agingTable, 'REQ-006')).toEqual(['Test written', '2026-03-09', '2']);
});

test('a point named by keyboard opens its card with Enter, and by a click', async ({ page }) => {
  const flow = await openFlow(page);
  const first = flow.getByRole('button', { name: 'REQ-001: cycle time 3 days, reviewed 2026-03-03' });
  // One point per chart is in the tab order; the arrow keys move between them.
  await first.focus();
  await expect(flow.locator('.flow-tip:not([hidden])')).toHaveText('REQ-001: cycle time 3 days, reviewed 2026-03-03');
  await page.keyboard.press('ArrowRight');
  const second = flow.getByRole('button', { name: 'REQ-002: cycle time 6 days, reviewed 2026-03-06' });
  await expect(second).toBeFocused();
  await expect(flow.locator('.flow-tip:not([hidden])')).toHaveText('REQ-002: cycle time 6 days, reviewed 2026-03-06');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /^REQ-002\b/ });
  await expect(dialog).toBeVisible();
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(dialog).toBeHidden();

  const aged = flow.getByRole('button', { name: 'REQ-003: Red for 4 days, since 2026-03-07' });
  await aged.hover();
  await expect(flow.locator('.flow-tip:not([hidden])')).toHaveText('REQ-003: Red for 4 days, since 2026-03-07');
  await aged.click();
  await expect(page.getByRole('dialog', { name: /^REQ-003\b/ })).toBeVisible();
  await page.getByRole('button', { name: 'Close details' }).click();

  // Back to the board: the columns again.
  await page.getByRole('button', { name: 'Flow', exact: true }).click();
  await expect(flow).toBeHidden();
  await expect(page.getByRole('region', { name: 'Backlog', exact: true })).toBeVisible();
});

test('without history the view says what it will show, and draws once a card moves', async ({ page }) => {
  const flow = await openFlow(page, 'journey_python.json');
  await expect(flow).toContainText('No card has moved yet. Once cards move, this view shows');
  await expect(flow.getByRole('figure')).toHaveCount(0);
  await page.getByRole('button', { name: 'Flow', exact: true }).click();
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await page.getByRole('button', { name: 'Flow', exact: true }).click();
  await expect(flow.getByRole('heading', { name: 'Cumulative flow' })).toBeVisible();
  await expect(flow).not.toContainText('No card has moved yet');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots and axe, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    const flow = await openFlow(page);
    await flow.getByRole('button', { name: 'REQ-008: cycle time 8 days, reviewed 2026-03-09' }).focus();
    await page.screenshot({ path: shot(`flow-${scheme}`), fullPage: true, style: '.toolbar { position: static !important; }' });
    for (const [name, file] of [
      ['Cumulative flow', 'cfd'],
      ['Cycle time', 'cycle'],
      ['Aging work in progress', 'aging'],
    ]) {
      // The sticky toolbar would cover a chart scrolled under it.
      await flow.getByRole('figure', { name }).screenshot({ path: shot(`flow-${file}-${scheme}`), style: '.toolbar { position: static !important; }' });
    }
    for (const name of ['Cumulative flow', 'Cycle time', 'Aging work in progress']) {
      await flow.getByRole('button', { name: `Show table: ${name}` }).click();
    }
    expect((await new AxeBuilder({ page }).include('.flow').analyze()).violations).toEqual([]);
    expect((await new AxeBuilder({ page }).include('.toolbar').analyze()).violations).toEqual([]);
  });
}
