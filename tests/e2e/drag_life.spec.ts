// Drags that always end: a card re-rendered under the pointer mid-drag (here by an undo) does
// not leave a frozen ghost or an animation loop behind, a cancelled pointer ends the drag, and
// a card lifted with the keyboard goes back when focus or a pointer goes elsewhere.
import { expect, test, type Page } from '@playwright/test';
import { card, column, dragWithMouse, fixture, importMatrix, live } from './helpers';

const ghost = (page: Page) => page.locator('.ghost');

test.beforeEach(async ({ page }) => {
  // Counts the page's own animation frame requests, to see that no loop outlives a drag.
  await page.addInitScript(() => {
    const w = window as unknown as { __frames: number; __raf: typeof requestAnimationFrame };
    const raf = window.requestAnimationFrame.bind(window);
    w.__frames = 0;
    w.__raf = raf;
    window.requestAnimationFrame = (callback) => {
      w.__frames++;
      return raf(callback);
    };
  });
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await expect(card(page, 'REQ-005')).toBeVisible();
  // Every message of the polite live region, not only the last one.
  await page.evaluate(() => {
    const region = document.querySelector('[aria-live=polite]')!;
    const heard: string[] = [];
    (window as unknown as { __heard: string[] }).__heard = heard;
    new MutationObserver(() => heard.push(region.textContent ?? '')).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
});

const heard = (page: Page) => page.evaluate(() => (window as unknown as { __heard: string[] }).__heard);

/** How many animation frames the page asked for while `frames` frames went by. */
const framesAskedOver = (page: Page, frames: number) =>
  page.evaluate(
    (frames) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as { __frames: number; __raf: typeof requestAnimationFrame };
        const start = w.__frames;
        let left = frames;
        const tick = () => (--left === 0 ? resolve(w.__frames - start) : w.__raf(tick));
        w.__raf(tick);
      }),
    frames,
  );

/** Moves REQ-001 to Test written with its menu, so an undo will re-render it. */
async function moveReq001ByMenu(page: Page) {
  await page.getByRole('button', { name: 'Move REQ-001 to…' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Test written' }).click();
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
}

/** The middle of a column's heading: inside the column, on no card. */
async function headingOf(page: Page, title: Parameters<typeof column>[1]) {
  const box = await column(page, title).getByRole('heading', { name: title }).boundingBox();
  return { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
}

/** Presses REQ-001 with the mouse and drags it over `target` without releasing. */
async function pickUpReq001(page: Page, target: Parameters<typeof column>[1]) {
  const from = await card(page, 'REQ-001').boundingBox();
  const to = await headingOf(page, target);
  await page.mouse.move(from!.x + 20, from!.y + 20);
  await page.mouse.down();
  await page.mouse.move(from!.x + 30, from!.y + 24, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await expect(ghost(page)).toHaveCount(1);
  await expect(column(page, target)).toHaveClass(/drop-target/);
}

/**
 * REQ-001 moved to Test written, picked up and held over Red; then Undo puts it back in
 * Backlog: the card under the pointer is rendered anew, and the pointer capture it held is
 * lost.
 */
async function pickUpThenUndo(page: Page) {
  await moveReq001ByMenu(page);
  await pickUpReq001(page, 'Red');
  await page.keyboard.press('Control+z');
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
}

test('a card re-rendered mid-drag keeps following the pointer and drops on release', async ({ page }) => {
  await pickUpThenUndo(page);
  const to = await headingOf(page, 'Test written');
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await expect(column(page, 'Test written')).toHaveClass(/drop-target/);
  await page.mouse.up();

  await expect(ghost(page)).toHaveCount(0);
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await expect(card(page, 'REQ-001')).not.toHaveClass(/dragging/);
  await expect(live(page)).toHaveText('REQ-001 moved from Backlog to Test written.');
  // The auto-scroll loop ended with the drag: ten frames pass without a request.
  await expect.poll(() => framesAskedOver(page, 10)).toBe(0);
});

test('a pointer cancelled after the card re-rendered ends the drag where it started', async ({ page }) => {
  await pickUpThenUndo(page);
  const point = await headingOf(page, 'Green');
  await page.mouse.move(point.x, point.y, { steps: 8 });
  // The browser sends pointercancel to what is under the pointer once the card is gone.
  await page.evaluate(({ x, y }) => {
    document
      .elementFromPoint(x, y)!
      .dispatchEvent(new PointerEvent('pointercancel', { pointerId: 1, pointerType: 'mouse', bubbles: true }));
  }, point);

  await expect(ghost(page)).toHaveCount(0);
  await expect(live(page)).toHaveText('Move cancelled. REQ-001 stays in Backlog.');
  await expect(card(page, 'REQ-001')).not.toHaveClass(/dragging/);
  await expect.poll(() => framesAskedOver(page, 10)).toBe(0);
  // The release that follows moves nothing.
  await page.mouse.up();
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  await expect(card(column(page, 'Green'), 'REQ-001')).toHaveCount(0);
});

test('a keyboard lift ends, announced, on a click elsewhere and on blur', async ({ page }) => {
  const req1 = card(page, 'REQ-001');
  await req1.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await expect(column(page, 'Test written')).toHaveClass(/drop-target/);
  await column(page, 'Reviewed').getByRole('heading', { name: 'Reviewed' }).click();
  await expect(live(page)).toHaveText('Move cancelled. REQ-001 stays in Backlog.');
  await expect(req1).toHaveAttribute('aria-pressed', 'false');
  await expect(column(page, 'Test written')).not.toHaveClass(/drop-target/);

  await req1.focus();
  await page.keyboard.press('Space');
  await expect(req1).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('searchbox', { name: 'Search cards' }).focus();
  await expect(req1).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => heard(page)).toEqual([
    'Picked up REQ-001 in Backlog. Press Left or Right to choose a column, Space or Enter to drop, Escape to cancel.',
    'REQ-001 is over Test written.',
    'Move cancelled. REQ-001 stays in Backlog.',
    'Picked up REQ-001 in Backlog. Press Left or Right to choose a column, Space or Enter to drop, Escape to cancel.',
    'Move cancelled. REQ-001 stays in Backlog.',
  ]);
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
});

test('while a card is lifted with the keyboard, another card can be dragged with the mouse', async ({ page }) => {
  await card(page, 'REQ-001').focus();
  await page.keyboard.press('Space');
  await expect(card(page, 'REQ-001')).toHaveAttribute('aria-pressed', 'true');

  await dragWithMouse(page, card(page, 'REQ-003'), column(page, 'Green'));
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toHaveAttribute('aria-pressed', 'false');
  const messages = await heard(page);
  const cancelled = messages.indexOf('Move cancelled. REQ-001 stays in Backlog.');
  const moved = messages.indexOf('REQ-003 moved from Red to Green.');
  expect(cancelled).toBeGreaterThan(-1);
  expect(moved).toBeGreaterThan(cancelled);
  await expect(ghost(page)).toHaveCount(0);
});

test('a keyboard lift survives its card being rendered anew by an undo, and its keys still work', async ({ page }) => {
  await moveReq001ByMenu(page);
  const req1 = card(page, 'REQ-001');
  await req1.focus();
  await page.keyboard.press('Space');
  await expect(req1).toHaveAttribute('aria-pressed', 'true');
  // Undo puts REQ-001 back in Backlog: the focused element is removed and a new one rendered,
  // which Chromium reports as a blur of the old one.
  await page.keyboard.press('Control+z');
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  await expect(req1).toHaveAttribute('aria-pressed', 'true');
  await expect(req1).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(live(page)).toHaveText('REQ-001 is over Backlog, where it is now.');
  await page.keyboard.press('ArrowRight');
  await expect(column(page, 'Test written')).toHaveClass(/drop-target/);
  await page.keyboard.press('Space');
  await expect(card(column(page, 'Test written'), 'REQ-001')).toBeVisible();
  await expect(live(page)).toHaveText('REQ-001 moved from Backlog to Test written.');
  expect((await heard(page)).filter((m) => m.startsWith('Move cancelled'))).toEqual([]);
  await expect(card(page, 'REQ-001')).toHaveAttribute('aria-pressed', 'false');
});

test('a pointer that moves with no button down ends the drag, as a release outside the window was never heard', async ({
  page,
}) => {
  await pickUpThenUndo(page);
  // The button was released outside the window: the page only sees the pointer come back
  // with no button pressed.
  const point = await headingOf(page, 'Green');
  await page.evaluate(({ x, y }) => {
    window.dispatchEvent(
      new PointerEvent('pointermove', { pointerId: 1, pointerType: 'mouse', buttons: 0, clientX: x, clientY: y }),
    );
  }, point);

  await expect(ghost(page)).toHaveCount(0);
  await expect(live(page)).toHaveText('Move cancelled. REQ-001 stays in Backlog.');
  await expect(card(page, 'REQ-001')).not.toHaveClass(/dragging/);
  await expect.poll(() => framesAskedOver(page, 10)).toBe(0);
  // The next click moves nothing.
  await page.mouse.up();
  await page.mouse.click(point.x, point.y);
  await expect(card(column(page, 'Backlog'), 'REQ-001')).toBeVisible();
  await expect(card(column(page, 'Green'), 'REQ-001')).toHaveCount(0);
});
