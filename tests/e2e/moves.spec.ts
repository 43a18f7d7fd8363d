// Moving cards as people do: mouse, finger, keyboard, the Move to… menu; the TDD gates and
// their override; undo and redo; what the screen reader hears.
import { expect, test, type Page } from '@playwright/test';
import { card, column, download, dragWithMouse, fixture, importMatrix, live, liveMessages, recordLiveMessages, timersSettled, watchTimers } from './helpers';


async function openJourney(page: Page) {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(card(page, 'REQ-001')).toBeVisible();
}

test('keyboard: Space lifts, arrows choose, Space drops, focus stays, each step is announced', async ({ page }) => {
  await openJourney(page);
  await card(page, 'REQ-001').focus();
  await page.keyboard.press('Space');
  await expect(live(page)).toHaveText(/Picked up REQ-001 in Backlog/);
  await expect(card(page, 'REQ-001')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(live(page)).toHaveText('REQ-001 is over Test written.');
  await expect(column(page, 'Test written')).toHaveClass(/drop-target/);
  await page.keyboard.press('Space');
  await expect(live(page)).toHaveText('REQ-001 moved from Backlog to Test written.');
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeFocused();

  // Enter drops too; Enter on a card at rest opens its details instead (details.spec.ts).
  // Escape cancels with the card where it was.
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(live(page)).toHaveText('REQ-001 moved from Test written to Red.');
  await page.keyboard.press('Control+z');
  await card(column(page, 'Test written'), 'REQ-001').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Escape');
  await expect(live(page)).toHaveText('Move cancelled. REQ-001 stays in Test written.');
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeFocused();
});

test('the Move to… menu, by mouse and by keyboard', async ({ page }) => {
  await openJourney(page);
  await page.getByRole('button', { name: 'Move REQ-003 to…' }).click();
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('menuitem')).toHaveText(['Backlog', 'Test written', 'Green', 'Reviewed']);
  await menu.getByRole('menuitem', { name: 'Green' }).click();
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
  await expect(card(page, 'REQ-003')).toBeFocused();

  await page.getByRole('button', { name: 'Move REQ-003 to…' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Backlog' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Red' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(card(column(page, 'Red'), 'REQ-003')).toBeVisible();
  await expect(live(page)).toHaveText('REQ-003 moved from Green to Red.');
});

test('a blocked gate is shown while dragging, and its override is noted in the export', async ({ page }) => {
  await openJourney(page);
  const source = await card(page, 'REQ-002').boundingBox();
  const red = await column(page, 'Red').boundingBox();
  await page.mouse.move(source!.x + 20, source!.y + 20);
  await page.mouse.down();
  await page.mouse.move(red!.x + red!.width / 2, red!.y + 100, { steps: 10 });
  await expect(column(page, 'Red')).toHaveClass(/drop-refused/);
  await expect(column(page, 'Red')).toContainText('Blocked by a TDD gate: it lists no tests yet.');
  await expect(live(page)).toContainText('Red will not take it yet: it lists no tests yet');
  await page.mouse.up();

  const dialog = page.getByRole('dialog', { name: 'Override the TDD gate for REQ-002?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Override and move' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason for the override' }).fill('Tests live in the e2e repo');
  await dialog.getByRole('button', { name: 'Override and move' }).click();
  await expect(card(column(page, 'Red'), 'REQ-002')).toBeVisible();

  const exported = JSON.parse((await download(page)).text);
  expect(exported.requirements[1].tdd_history[0]).toMatchObject({
    from: 'backlog',
    to: 'red',
    note: 'TDD gate overridden: Tests live in the e2e repo',
  });
});

test('cancelling the override dialog leaves the card where it was', async ({ page }) => {
  await openJourney(page);
  await card(page, 'REQ-002').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(card(column(page, 'Backlog'), 'REQ-002')).toBeFocused();
});

test('undo and redo by keys and by buttons; an undone move is gone from the export', async ({ page }) => {
  await openJourney(page);
  await dragWithMouse(page, card(page, 'REQ-001'), column(page, 'Test written'));
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();

  await expect(page.getByRole('button', { name: 'Undo' })).toHaveAttribute('title', 'Undo move REQ-001 to Test written (Ctrl+Z)');
  await page.keyboard.press('Control+z');
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Redo' })).toHaveAttribute('title', 'Redo move REQ-001 to Test written (Ctrl+Shift+Z)');
  await expect(live(page)).toHaveText('Undid move REQ-001 to Test written.');
  await page.keyboard.press('Control+Shift+z');
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  const undone = await download(page);
  expect(JSON.parse(undone.text).requirements[0].tdd_history).toBeUndefined();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Redo' })).toBeDisabled();
});

test('dropping outside any column cancels the move', async ({ page }) => {
  await openJourney(page);
  const source = await card(page, 'REQ-001').boundingBox();
  await page.mouse.move(source!.x + 20, source!.y + 20);
  await page.mouse.down();
  await page.mouse.move(source!.x + 40, 10, { steps: 8 });
  await page.mouse.up();
  await expect(live(page)).toHaveText('Move cancelled. REQ-001 stays in Backlog.');
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
});

test('"?" shows the keyboard shortcuts', async ({ page }) => {
  await openJourney(page);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toContainText('Pick up the focused card');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test.describe('touch', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 1280, height: 800 } });

  test('a long press lifts the card and a finger drags it to another column', async ({ page }) => {
    await openJourney(page);
    const source = await card(page, 'REQ-001').boundingBox();
    const target = await column(page, 'Test written').boundingBox();
    const client = await page.context().newCDPSession(page);
    const at = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y), id: 1, radiusX: 4, radiusY: 4, force: 1 }];
    const [x0, y0] = [source!.x + 30, source!.y + 20];
    await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(x0, y0) });
    await expect(live(page)).toHaveText(/Picked up REQ-001 in Backlog/);
    const [x1, y1] = [target!.x + target!.width / 2, target!.y + 100];
    for (let i = 1; i <= 10; i++) {
      await client.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: at(x0 + ((x1 - x0) * i) / 10, y0 + ((y1 - y0) * i) / 10),
      });
    }
    await expect(column(page, 'Test written')).toHaveClass(/drop-target/);
    await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
    await expect(live(page)).toHaveText('REQ-001 moved from Backlog to Test written.');
  });

  test('a quick swipe over a card does not lift it', async ({ page }) => {
    await recordLiveMessages(page);
    await openJourney(page);
    await watchTimers(page);
    const source = await card(page, 'REQ-001').boundingBox();
    const client = await page.context().newCDPSession(page);
    const at = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y), id: 1 }];
    await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(source!.x + 30, source!.y + 20) });
    await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(source!.x + 30, source!.y + 80) });
    await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(source!.x + 30, source!.y + 140) });
    await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    // The app lifts a card when a finger rests on it: the timer it started on touch start
    // must have run (or been cleared) before the absence of a lift means anything.
    await timersSettled(page);
    // Every message the live region showed, not only the last: a lift that was announced and
    // then replaced (by a cancel or a drop) fails too.
    const messages = await liveMessages(page);
    expect(messages.filter((m) => /Picked up/.test(m))).toEqual([]);
    await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  });
});
