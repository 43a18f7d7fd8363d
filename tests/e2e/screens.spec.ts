// Screenshots of the board in the states a person sees, for review (target/screens)
// and for the README (docs/screenshot.png, refreshed when UPDATE_SCREENSHOT=1).
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { card, column, fileAction, linkPrivateFile, moveWithMenu, readFile, settled, withoutFilePicker, writeFile } from './helpers';

// Reduced motion: colour and border changes apply at once, so what is checked is the end state.
test.use({ reducedMotion: 'reduce' });

const shot = (name: string) => `target/screens/${name}.png`;

test('screens: empty, loaded, mid-drag, narrow, dark', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Try the example board' })).toBeVisible();
  await page.screenshot({ path: shot('empty') });

  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await page.screenshot({ path: shot('loaded') });
  if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: 'docs/screenshot.png' });
  await expect(await fileAction(page, 'Close board')).toBeVisible();
  await page.screenshot({ path: shot('file-menu') });
  await page.keyboard.press('Escape');

  const source = await card(page, 'REQ-006').boundingBox();
  const target = await column(page, 'Green').boundingBox();
  if (!source || !target) throw new Error('not visible');
  await page.mouse.move(source.x + 30, source.y + 20);
  await page.mouse.down();
  await page.mouse.move(target.x + 60, target.y + 120, { steps: 10 });
  await expect(column(page, 'Green')).toHaveClass(/drop-(target|refused)/);
  await page.screenshot({ path: shot('mid-drag-refused') });
  const to = await column(page, 'Test written').boundingBox();
  await page.mouse.move(to!.x + 60, to!.y + 120, { steps: 5 });
  await expect(column(page, 'Test written')).toHaveClass(/drop-target/);
  await page.screenshot({ path: shot('mid-drag') });
  await page.keyboard.press('Escape');
  await page.mouse.up();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shot('narrow') });
  await page.getByRole('button', { name: 'Menu', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Export matrix' })).toBeVisible();
  await page.screenshot({ path: shot('narrow-menu') });
  await expect(await fileAction(page, 'Close board')).toBeVisible();
  await page.screenshot({ path: shot('narrow-file-menu') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Export matrix' })).toBeHidden();

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1400, height: 860 });
  await settled(page);
  await page.screenshot({ path: shot('dark') });
  await expect(await fileAction(page, 'Close board')).toBeVisible();
  await page.screenshot({ path: shot('file-menu-dark') });
});

test('screens: a long report folds to one line, with its details on demand', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents folder')).click();
  await (await chooser).setFiles('tests/fixtures/agents');
  const report = page.getByRole('status');
  await expect(report).toContainText(/Imported \d+ agents/);
  const details = report.getByText('Show details');
  await expect(details).toBeVisible();
  await page.screenshot({ path: shot('report-folded') });
  await details.click();
  await expect(report.getByText('read line by line')).toBeVisible();
  await page.screenshot({ path: shot('report-details') });
});

test('screens: the gate override dialog over the board, light and dark', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example board' }).click();
  await expect(card(page, 'REQ-001')).toBeVisible();
  await card(page, 'REQ-001').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  const dialog = page.getByRole('dialog', { name: /^Override the TDD gate for REQ-001/ });
  await expect(dialog).toBeVisible();
  await settled(page);
  await page.screenshot({ path: shot('override-dialog') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settled(page);
  await page.screenshot({ path: shot('override-dialog-dark') });
});

test('screens: a real file\'s report and the Fields dialog, light, dark and narrow', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');
  await withoutFilePicker(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import matrix' }).first().click();
  await (await chooser).setFiles('tests/fixtures/corpus/matrices/11-MarwanAljijakli-agentkernel-traceability.json');
  await expect(page.getByRole('status')).toContainText('Imported 806 requirements');
  await settled(page);
  await page.screenshot({ path: shot('real-file-report') });
  await page.getByRole('status').getByRole('button', { name: 'Change fields' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fields' });
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('806 cards');
  await settled(page);
  await page.screenshot({ path: shot('fields-dialog') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settled(page);
  await page.screenshot({ path: shot('fields-dialog-dark') });
  await page.setViewportSize({ width: 390, height: 844 });
  await settled(page);
  await page.screenshot({ path: shot('fields-dialog-narrow') });
});

test('screens: agent instructions rendered from markdown', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');
  const chooser = page.waitForEvent('filechooser');
  await (await fileAction(page, 'Import agents')).click();
  const body = [
    '# Reviewer',
    '',
    'You review **every** change before it lands. See [the guide](https://example.org/guide).',
    '',
    '## Steps',
    '',
    '1. Read the diff.',
    '   - Check the tests ran *red* first.',
    '   - Check `tdd_history`.',
    '2. Approve or ask for changes.',
    '',
    '> Never approve your own work.',
    '',
    '| Verdict | Stage |',
    '|:--|:--|',
    '| approve | Reviewed |',
    '| changes | Red |',
    '',
    '```bash',
    'cargo test --all',
    '```',
    '',
    '<example>',
    'user: ship it',
    '</example>',
  ].join('\n');
  await (await chooser).setFiles({
    name: 'reviewer.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(`---\nname: reviewer\ndescription: Reviews changes\ncolor: purple\n---\n${body}\n`),
  });
  const roster = page.getByRole('region', { name: 'Agents' });
  await roster.getByText('Instructions').click();
  const instructions = roster.getByRole('group');
  await expect(instructions.getByRole('heading', { name: 'Steps' })).toBeVisible();
  await expect(instructions.getByRole('table')).toBeVisible();
  await expect(instructions.getByRole('link', { name: 'the guide' })).toHaveAttribute('href', 'https://example.org/guide');
  await expect(instructions.getByText('<example>')).toBeVisible();
  await roster.screenshot({ path: shot('instructions') });
});

test('screens: a linked file, a change from disk, a conflict and its dialog, light, dark and narrow', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto('/');
  await linkPrivateFile(page, 'traceability_matrix.json', readFileSync('examples/traceability_matrix.json', 'utf8'));
  await moveWithMenu(page, 'REQ-004', 'Red');
  // An agent moves the same requirement elsewhere in the file.
  const doc = JSON.parse(await readFile(page, 'traceability_matrix.json'));
  const req = doc.requirements.find((r: any) => r.id === 'REQ-004');
  req.tdd_history = [...(req.tdd_history ?? []), { from: req.tdd_stage, to: 'backlog', at: '2026-11-29T10:00:00Z', by: 'product-manager' }];
  req.tdd_stage = 'backlog';
  await writeFile(page, 'traceability_matrix.json', JSON.stringify(doc, null, 2) + '\n');
  await expect(page.getByRole('button', { name: 'Conflict on REQ-004: choose' })).toBeVisible();
  await settled(page);
  await page.screenshot({ path: shot('linked-conflict') });
  await page.getByRole('button', { name: 'Conflict on REQ-004: choose' }).click();
  await expect(page.getByRole('dialog', { name: /^Conflict in REQ-004/ })).toBeVisible();
  await settled(page);
  await page.screenshot({ path: shot('conflict-dialog') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settled(page);
  await page.screenshot({ path: shot('conflict-dialog-dark') });
  await page.setViewportSize({ width: 390, height: 844 });
  await settled(page);
  await page.screenshot({ path: shot('conflict-dialog-narrow') });
  await page.keyboard.press('Escape');
  await settled(page);
  await page.screenshot({ path: shot('linked-narrow-dark') });
});
