// Agents on the board: import a folder of agent files, see the team, its owners and turns,
// and find the acting agent in the exported history.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { card, column, download, dragWithMouse, fileAction, fixture, importMatrix } from './helpers';

const examples = join(__dirname, '..', '..', 'examples', 'agents');
const brokenAgents = join(__dirname, '..', 'fixtures', 'agents');

test('import an agents folder, see owners and turns, record who moved', async ({ page }) => {
  await page.goto('/');
  await importMatrix(page, fixture('journey_python.json'));
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents folder')).click();
  await (await chooser).setFiles(examples);

  const roster = page.getByRole('region', { name: 'Agents' });
  await expect(roster.getByRole('heading', { name: 'qa-engineer' })).toBeVisible();
  await expect(roster.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) })).toHaveCount(5);
  await expect(page.getByRole('status')).toContainText('Imported 5 agents');

  await expect(page.getByRole('combobox', { name: 'Owner of Backlog' })).toHaveValue('product-manager');
  await expect(page.getByRole('combobox', { name: 'Owner of Test written' })).toHaveValue('qa-engineer');
  await expect(page.getByRole('combobox', { name: 'Owner of Red' })).toHaveValue('qa-engineer');
  await expect(page.getByRole('combobox', { name: 'Owner of Green' })).toHaveValue('backend-engineer');
  await expect(page.getByRole('combobox', { name: 'Owner of Reviewed' })).toHaveValue('overseer');

  // Whose turn: the owner of the next stage.
  await expect(card(page, 'REQ-003')).toContainText('Next: backend-engineer');
  await expect(card(page, 'REQ-004')).toContainText('Next: overseer');

  // Change Green's owner, then move a Red card to Green: the new owner made the move.
  await page.getByRole('combobox', { name: 'Owner of Green' }).selectOption('frontend-engineer');
  await expect(card(page, 'REQ-003')).toContainText('Next: frontend-engineer');
  await dragWithMouse(page, card(page, 'REQ-003'), column(page, 'Green'));
  await expect(card(column(page, 'Green'), 'REQ-003')).toBeVisible();

  // Acting as another agent overrides the owner.
  await page.getByRole('combobox', { name: 'Acting as' }).selectOption('overseer');
  await dragWithMouse(page, card(page, 'REQ-004'), column(page, 'Reviewed'));
  await expect(card(column(page, 'Reviewed'), 'REQ-004')).toBeVisible();

  const exported = JSON.parse((await download(page)).text);
  expect(exported.requirements[2].tdd_history.at(-1)).toMatchObject({ from: 'red', to: 'green', by: 'frontend-engineer' });
  expect(exported.requirements[3].tdd_history.at(-1)).toMatchObject({ from: 'green', to: 'reviewed', by: 'overseer' });
  expect(exported.requirements[3].last_reviewed_by).toBe('overseer');

  // Filter by whose turn it is.
  await page.getByRole('combobox', { name: 'Whose turn' }).selectOption('qa-engineer');
  await expect(card(page, 'REQ-001')).toBeVisible();
  await expect(card(page, 'REQ-005')).toHaveCount(0);
  await expect(card(page, 'REQ-003')).toHaveCount(0);

  // An agent's instructions open on demand, their markdown rendered: the numbered steps are a
  // list and the bold word is bold.
  const qa = roster.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'qa-engineer' }) });
  await qa.getByText('Instructions').click();
  const instructions = qa.getByRole('group');
  await expect(instructions.getByRole('list')).toHaveCount(1);
  await expect(instructions.getByRole('listitem')).toHaveText([
    'Write tests that express its EARS statement.',
    'Run them and confirm they fail.',
    'Record the test paths under tests and hand the requirement to an implementer.',
  ]);
  await expect(instructions.getByRole('listitem').nth(1).locator('strong')).toHaveText('fail');
  await expect(instructions.getByRole('listitem').nth(2).locator('code')).toHaveText('tests');

  // The team survives a reload, owners included.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Agents' }).getByRole('heading', { name: 'overseer' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Owner of Green' })).toHaveValue('frontend-engineer');
});

test('a folder with broken agent files: every file is read or explained', async ({ page }) => {
  await page.goto('/');
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents folder')).click();
  await (await chooser).setFiles(brokenAgents);
  const report = page.getByRole('status');
  await expect(report).toContainText(/Imported \d+ agents/);
  await expect(report).toContainText('not UTF-8');
  await expect(report).toContainText('read line by line');
  const roster = page.getByRole('region', { name: 'Agents' });
  await expect(roster).toBeVisible();
});

test('raw HTML in an agent body is shown as text, never run', async ({ page }) => {
  await page.goto('/');
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents')).click();
  await (await chooser).setFiles({
    name: 'evil.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from('---\nname: evil\ndescription: tries things\nmemory: project-wide\n---\n<img src=x onerror="window.pwned=1">\n\n<script>window.pwned=2</script>\n'),
  });
  const roster = page.getByRole('region', { name: 'Agents' });
  // Keys the board does not use are kept for display.
  await expect(roster.getByRole('term')).toHaveText('memory');
  await expect(roster.getByRole('definition')).toHaveText('project-wide');
  await roster.getByText('Instructions').click();
  await expect(roster.getByText('<script>window.pwned=2</script>')).toBeVisible();
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
  await expect(roster.locator('img')).toHaveCount(0);
});
