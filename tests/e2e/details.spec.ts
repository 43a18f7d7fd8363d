// A card opens into its full details: every link, the history, and edits that reach the file
// as only that requirement's lines. New requirements start from EARS templates.
import { expect, test, type Page } from '@playwright/test';
import { card, column, download, fixture, importMatrix, live, moveWithMenu, readFixture } from './helpers';

const details = (page: Page, id: string) => page.getByRole('dialog', { name: new RegExp(`^${id}\\b`) });

/** The lines of `after` that differ from `before`, after their common first and last lines. */
function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { head, removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

test('a click opens the details, with every link and the history; Escape closes them back to the card', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await card(page, 'REQ-001').click();
  const dialog = details(page, 'REQ-001');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Text' })).toHaveValue(
    'WHEN a user signs in with a valid password THE SYSTEM SHALL open their dashboard.',
  );
  await expect(dialog.getByRole('textbox', { name: 'Test 1' })).toHaveValue('tests/test_sign_in.py');
  await expect(dialog.getByRole('textbox', { name: 'Task 1' })).toHaveValue('T-1');
  await expect(dialog.getByRole('textbox', { name: 'Note 1' })).toHaveValue('Café users first — see 東京 pilot');
  await expect(dialog.getByRole('combobox', { name: 'Priority' })).toHaveValue('high');
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Backlog → Test written' })).toBeVisible();
  await expect(dialog.getByText('Other keys (1)')).toBeVisible();
  await expect(page).toHaveURL(/#card=REQ-001$/);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(card(page, 'REQ-001')).toBeFocused();
  await expect(page).not.toHaveURL(/#card=/);
});

test('Enter opens the details and Space still lifts the card', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await card(page, 'REQ-002').focus();
  await page.keyboard.press('Enter');
  await expect(details(page, 'REQ-002')).toBeVisible();
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(card(page, 'REQ-002')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(live(page)).toContainText('Picked up REQ-002');
  await page.keyboard.press('Escape');
});

test('the fragment names the open card, so a reload opens it again', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await card(page, 'REQ-003').click();
  await expect(page).toHaveURL(/#card=REQ-003$/);
  // Autosave keeps the board; the reload finds the card the fragment names.
  await page.waitForTimeout(700);
  await page.reload();
  await expect(details(page, 'REQ-003')).toBeVisible();
});

test('edits of text and tests reach the file as that requirement\'s lines, and each undoes on its own', async ({ page }) => {
  const original = readFixture('journey_python.json');
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await card(page, 'REQ-001').click();
  const dialog = details(page, 'REQ-001');
  const text = dialog.getByRole('textbox', { name: 'Text' });
  await text.fill('When a user signs in, the system shall open their dashboard.');
  await expect(dialog.getByText('Follows the Event-driven EARS pattern.')).toBeVisible();
  await text.press('Tab');
  await expect(card(page, 'REQ-001')).toContainText('When a user signs in, the system shall open');

  const newTest = dialog.getByRole('textbox', { name: 'New test' });
  await newTest.fill('tests/test_sign_in.py::test_dashboard');
  await newTest.press('Enter');
  await expect(dialog.getByRole('textbox', { name: 'Test 2' })).toHaveValue('tests/test_sign_in.py::test_dashboard');
  await expect(newTest).toBeFocused();
  await dialog.getByRole('button', { name: 'Remove test 1' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Test 1' })).toHaveValue('tests/test_sign_in.py::test_dashboard');
  await expect(card(page, 'REQ-001')).toContainText('1 test');

  await page.keyboard.press('Escape');
  const { text: exported } = await download(page);
  const { head, removed, added } = changedLines(original, exported);
  const start = original.split('\n').findIndex((l) => l.includes('"id": "REQ-001"'));
  expect(head).toBeGreaterThanOrEqual(start);
  expect(removed.join('\n')).toContain('"ears"');
  expect(added.join('\n')).toContain('"ears": "When a user signs in, the system shall open their dashboard."');
  expect(added.join('\n')).toContain('"tests/test_sign_in.py::test_dashboard"');
  expect(added.join('\n')).not.toContain('REQ-002');
  expect(removed.join('\n')).not.toContain('REQ-002');

  // Undo takes back one edit at a time: the removal, the addition, the text.
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-001')).toContainText('2 tests');
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-001')).toContainText('1 test');
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-001')).toContainText('WHEN a user signs in with a valid password');
  expect((await download(page)).text).toBe(original);
});

test('a requirement created from an EARS template lands in Backlog as new lines of the file', async ({ page }) => {
  const original = readFixture('journey_python.json');
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await page.getByRole('button', { name: 'New requirement in Backlog' }).click();
  const dialog = page.getByRole('dialog', { name: 'New requirement' });
  await expect(dialog.getByRole('textbox', { name: 'Id' })).toHaveValue('REQ-006');
  await dialog.getByRole('button', { name: 'Event-driven template' }).click();
  const text = dialog.getByRole('textbox', { name: 'Text' });
  await expect(text).toHaveValue('When <trigger>, the <system> shall <response>.');
  await expect(dialog.getByText('Follows the Event-driven EARS pattern.')).toBeVisible();
  await text.fill('Users can export.');
  await expect(dialog.getByText('Follows no EARS pattern yet.')).toBeVisible();
  await text.fill('When a user asks, the board shall export the matrix.');
  await dialog.getByRole('combobox', { name: 'Priority' }).selectOption('medium');

  // A duplicate id is refused with a message, and nothing is created.
  await dialog.getByRole('textbox', { name: 'Id' }).fill('REQ-002');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('REQ-002 is already the id of a requirement; choose another.');
  await dialog.getByRole('textbox', { name: 'Id' }).fill('REQ-006');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(card(column(page, 'Backlog'), 'REQ-006')).toBeFocused();

  const { text: exported } = await download(page);
  const { removed, added } = changedLines(original, exported);
  // The new lines, and at most the comma on the line before.
  expect(removed.length).toBeLessThanOrEqual(1);
  if (removed.length === 1) expect(added[0]).toBe(`${removed[0]},`);
  expect(added.join('\n')).toContain('"id": "REQ-006"');
  expect(added.join('\n')).toContain('"ears": "When a user asks, the board shall export the matrix."');
  expect(added.join('\n')).toContain('"priority": "medium"');

  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-006')).toHaveCount(0);
  expect((await download(page)).text).toBe(original);
});

test('deprecate and delete, each undone', async ({ page }) => {
  const original = readFixture('journey_python.json');
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await card(page, 'REQ-004').click();
  const dialog = details(page, 'REQ-004');
  await dialog.getByRole('button', { name: 'Deprecate' }).click();
  await expect(dialog.getByRole('button', { name: 'Deprecate' })).toBeHidden();
  await page.keyboard.press('Escape');
  // Deprecated cards are hidden until "Show deprecated".
  await expect(card(page, 'REQ-004')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-004')).toBeVisible();

  await card(page, 'REQ-004').click();
  await details(page, 'REQ-004').getByRole('button', { name: 'Delete REQ-004', exact: true }).click();
  const confirm = page.getByRole('group', { name: 'Confirm deletion' });
  await expect(confirm).toContainText('Delete REQ-004 from the file?');
  await confirm.getByRole('button', { name: 'Delete REQ-004 now' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(card(page, 'REQ-004')).toHaveCount(0);
  const { text: exported } = await download(page);
  const { added } = changedLines(original, exported);
  expect(added.length).toBeLessThanOrEqual(1);
  expect(exported).not.toContain('REQ-004');
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-004')).toBeVisible();
  expect((await download(page)).text).toBe(original);
});

test('opening and closing the details changes nothing; what is typed is kept when they close', async ({ page }) => {
  const original = readFixture('journey_python.json');
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  for (const id of ['REQ-001', 'REQ-002', 'REQ-003']) {
    await card(page, id).click();
    await expect(details(page, id)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(details(page, id)).toBeHidden();
  }
  expect((await download(page)).text).toBe(original);

  // Typed and closed with Escape, without leaving the box first: kept, and one undo away.
  await card(page, 'REQ-002').click();
  await details(page, 'REQ-002').getByRole('textbox', { name: 'Text' }).fill('The system shall keep what is typed.');
  await page.keyboard.press('Escape');
  await expect(card(page, 'REQ-002')).toContainText('The system shall keep what is typed.');
  await page.keyboard.press('Control+z');
  await expect(card(page, 'REQ-002')).not.toContainText('The system shall keep what is typed.');
  expect((await download(page)).text).toBe(original);
});

test('undo inside the details takes back the last edit, and the toolbar opens New requirement', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await card(page, 'REQ-001').click();
  const dialog = details(page, 'REQ-001');
  await dialog.getByRole('combobox', { name: 'Priority' }).selectOption('critical');
  await expect(card(page, 'REQ-001')).toContainText('critical');
  await dialog.getByRole('button', { name: 'Add task' }).focus();
  await page.keyboard.press('Control+z');
  await expect(dialog.getByRole('combobox', { name: 'Priority' })).toHaveValue('high');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'New requirement', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'New requirement' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'New requirement' })).toBeHidden();
});

test('a text emptied and closed with Escape keeps the details open and says why', async ({ page }) => {
  const original = readFixture('journey_python.json');
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  await card(page, 'REQ-003').click();
  const dialog = details(page, 'REQ-003');
  await dialog.getByRole('textbox', { name: 'Text' }).fill('');
  await page.keyboard.press('Escape');
  await expect(dialog.getByRole('alert')).toHaveText('A requirement needs a text.');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Text' }).fill('The system shall keep its text.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(card(page, 'REQ-003')).toContainText('The system shall keep its text.');
  await page.keyboard.press('Control+z');
  expect((await download(page)).text).toBe(original);
});
