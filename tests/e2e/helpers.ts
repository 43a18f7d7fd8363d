// Shared steps of the end-to-end specs: find things the way a user and a screen reader do.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixture = (name: string) => join(__dirname, 'fixtures', name);
export const readFixture = (name: string) => readFileSync(fixture(name), 'utf8');

export const STAGES = ['Backlog', 'Test written', 'Red', 'Green', 'Reviewed'] as const;

export function column(page: Page, title: (typeof STAGES)[number]): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** A card, found by its accessible name, which starts with the requirement id. */
export function card(scope: Page | Locator, id: string): Locator {
  return scope.getByRole('button', { name: new RegExp(`^${id}\\b`) });
}

export async function importMatrix(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles(file);
}

/** Drags with the real mouse, in small steps, as a person does. */
export async function dragWithMouse(page: Page, source: Locator, target: Locator) {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('drag source or target is not visible');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 4, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 120), { steps: 12 });
  await page.mouse.up();
}

export async function download(page: Page): Promise<{ name: string; text: string }> {
  const waiting = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export matrix' }).click();
  const file = await waiting;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

export async function expectCardIn(page: Page, id: string, title: (typeof STAGES)[number]) {
  await expect(card(column(page, title), id)).toBeVisible();
}
