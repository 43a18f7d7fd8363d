// The board linked to its file (the File System Access API): Playwright cannot drive the
// browser's own pickers, so `showOpenFilePicker` and `showDirectoryPicker` are replaced with
// functions that return real handles from the origin private file system, and the agents'
// part is played by writing to that same file from the page.
import { expect, test, type Page } from '@playwright/test';
import { card, clearPrivateFiles, expectCardIn, fileAction, linkPrivateFile, live, moveWithMenu, readFile, writeFile } from './helpers';

type Req = { id: string; stage: string };

/** A matrix as the origin workflow writes it: two-space JSON, tests and code on each. */
function matrix(reqs: Req[]): string {
  const requirements = reqs.map(({ id, stage }) => ({
    id,
    ears: `THE SYSTEM SHALL do ${id}.`,
    priority: 'high',
    tdd_stage: stage,
    tests: [`tests/test_${id.toLowerCase().replace('-', '_')}.py`],
    code: [`src/${id.toLowerCase()}.py`],
    tdd_history: [] as unknown[],
  }));
  return JSON.stringify({ project: 'linked', requirements }, null, 2) + '\n';
}

const FOUR: Req[] = [
  { id: 'REQ-001', stage: 'backlog' },
  { id: 'REQ-002', stage: 'backlog' },
  { id: 'REQ-003', stage: 'test_written' },
  { id: 'REQ-004', stage: 'red' },
];
const NAME = 'traceability_matrix.json';

/** An agent moves a requirement in the file: its stage and a step in its history. */
async function agentMoves(page: Page, id: string, to: string, by = 'backend-engineer') {
  const doc = JSON.parse(await readFile(page, NAME));
  for (const r of doc.requirements) {
    if (r.id === id) {
      r.tdd_history.push({ from: r.tdd_stage, to, at: new Date().toISOString(), by });
      r.tdd_stage = to;
    }
  }
  await writeFile(page, NAME, JSON.stringify(doc, null, 2) + '\n');
}

/** Opens the page and links a private file holding the matrix. */
async function linkMatrix(page: Page, text = matrix(FOUR)) {
  await page.goto('/');
  await linkPrivateFile(page, NAME, text);
}

const linkStatus = (page: Page) => page.locator('.link-status');
const stageInFile = async (page: Page, id: string) =>
  JSON.parse(await readFile(page, NAME)).requirements.find((r: any) => r.id === id)?.tdd_stage;

test('link, move, save: the move lands in the file itself, nothing else changes', async ({ page }) => {
  await linkMatrix(page);
  await expectCardIn(page, 'REQ-001', 'Backlog');
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await expect(linkStatus(page)).toContainText('1 unsaved change');
  await page.keyboard.press('Control+s');
  await expect(linkStatus(page)).toContainText(/saved \d\d:\d\d/);
  await expect(linkStatus(page)).not.toContainText('unsaved');
  expect(await stageInFile(page, 'REQ-001')).toBe('test_written');
  // Everything but REQ-001's lines is as it was.
  const before = matrix(FOUR).split('\n');
  const after = (await readFile(page, NAME)).split('\n');
  const req1 = after.findIndex((l) => l.includes('"REQ-001"'));
  const req2 = after.findIndex((l) => l.includes('"REQ-002"'));
  expect(after.slice(req2 - 1)).toEqual(before.slice(before.findIndex((l) => l.includes('"REQ-002"')) - 1));
  expect(after.slice(0, req1)).toEqual(before.slice(0, req1));
});

test('the file changes on disk and the board follows, announcing who moved what', async ({ page }) => {
  await linkMatrix(page);
  await agentMoves(page, 'REQ-002', 'test_written');
  await expectCardIn(page, 'REQ-002', 'Test written');
  await expect(live(page)).toContainText('REQ-002 moved to Test written by backend-engineer, from the file.');
  await expect(linkStatus(page)).toContainText('changed on disk · merged 1 requirement');
  // Undo takes the board back to what it showed; the file keeps the agent's move.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectCardIn(page, 'REQ-002', 'Backlog');
  expect(await stageInFile(page, 'REQ-002')).toBe('test_written');
  // Saving then reads the file first: the agent's move is merged in again, not written over.
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await page.keyboard.press('Control+s');
  await expect(linkStatus(page)).toContainText(/saved \d\d:\d\d/);
  expect(await stageInFile(page, 'REQ-002')).toBe('test_written');
  expect(await stageInFile(page, 'REQ-001')).toBe('test_written');
  await expectCardIn(page, 'REQ-002', 'Test written');
});

test('a change on disk while the board holds an unsaved move: both stay, and save writes both', async ({ page }) => {
  await linkMatrix(page);
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await agentMoves(page, 'REQ-003', 'red');
  await expectCardIn(page, 'REQ-003', 'Red');
  await expectCardIn(page, 'REQ-001', 'Test written');
  await expect(linkStatus(page)).toContainText('1 unsaved change');
  await page.getByRole('button', { name: 'Save matrix' }).click();
  await expect(linkStatus(page)).toContainText(/saved \d\d:\d\d/);
  expect(await stageInFile(page, 'REQ-001')).toBe('test_written');
  expect(await stageInFile(page, 'REQ-003')).toBe('red');
});

test('a save merges what the agent wrote a moment before, instead of overwriting it', async ({ page }) => {
  await linkMatrix(page);
  // The watch is held back by an open menu; the agent writes meanwhile.
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await page.getByRole('button', { name: 'Move REQ-004 to…' }).click();
  await agentMoves(page, 'REQ-002', 'test_written');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  await expect(linkStatus(page)).toContainText(/saved \d\d:\d\d/);
  expect(await stageInFile(page, 'REQ-001')).toBe('test_written');
  expect(await stageInFile(page, 'REQ-002')).toBe('test_written');
  await expectCardIn(page, 'REQ-002', 'Test written');
});

for (const choice of ['Keep mine', "Take the file's", 'Keep both histories'] as const) {
  test(`a conflict is shown, never saved over, and settled with "${choice}", undoably`, async ({ page }) => {
    await linkMatrix(page);
    await moveWithMenu(page, 'REQ-001', 'Test written');
    await agentMoves(page, 'REQ-001', 'red', 'qa-engineer');
    const conflict = page.getByRole('button', { name: 'Conflict on REQ-001: choose' });
    await expect(conflict).toBeVisible();
    await expect(linkStatus(page)).toContainText('1 conflict');
    // The board keeps showing the person's move; saving is refused while the conflict waits.
    await expectCardIn(page, 'REQ-001', 'Test written');
    await page.keyboard.press('Control+s');
    await expect(page.getByRole('alert')).toContainText('Not saved');
    expect(await stageInFile(page, 'REQ-001')).toBe('red');

    await conflict.click();
    const dialog = page.getByRole('dialog', { name: /^Conflict in REQ-001/ });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('row', { name: /tdd_stage/ })).toContainText('"test_written"');
    await expect(dialog.getByRole('row', { name: /tdd_stage/ })).toContainText('"red"');
    await dialog.getByRole('button', { name: choice, exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(conflict).toBeHidden();
    // Both histories: the agent's step came last, so the card is where it went.
    const expected = choice === 'Keep mine' ? 'Test written' : 'Red';
    await expectCardIn(page, 'REQ-001', expected);

    await page.keyboard.press('Control+s');
    await expect(linkStatus(page)).toContainText(/saved \d\d:\d\d/);
    const saved = JSON.parse(await readFile(page, NAME)).requirements[0];
    expect(saved.tdd_stage).toBe(choice === 'Keep mine' ? 'test_written' : 'red');
    const steps = saved.tdd_history.map((s: any) => s.to);
    expect(steps).toEqual(
      { 'Keep mine': ['test_written'], "Take the file's": ['red'], 'Keep both histories': ['test_written', 'red'] }[choice],
    );

    // The choice is one undoable change: undo brings the conflict back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(conflict).toBeVisible();
  });
}

test('a reload keeps the link; Reconnect asks again when the browser forgot the permission', async ({ page }) => {
  await linkMatrix(page);
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await page.keyboard.press('Control+s');
  await expect(linkStatus(page)).toContainText(/saved/);
  // The private file system always grants; a real file asks again after a reload.
  await page.addInitScript(() => {
    const proto = (window as any).FileSystemHandle?.prototype;
    if (!proto) return;
    let asked = false;
    proto.queryPermission = async function () { return asked ? 'granted' : 'prompt'; };
    proto.requestPermission = async function () { asked = true; return 'granted'; };
  });
  await page.reload();
  await expect(linkStatus(page)).toContainText(`Linked to ${NAME}`);
  const reconnect = page.getByRole('button', { name: 'Reconnect' });
  await expect(reconnect).toBeVisible();
  await expectCardIn(page, 'REQ-001', 'Test written');
  // An agent writes while the board is not connected; Reconnect catches up.
  await agentMoves(page, 'REQ-004', 'green');
  await reconnect.click();
  await expect(reconnect).toBeHidden();
  await expectCardIn(page, 'REQ-004', 'Green');
});

test('a project folder: the matrix in docs/, the agents from .claude/agents, and paths missing on disk', async ({ page }) => {
  await page.goto('/');
  await clearPrivateFiles(page);
  const project = 'project';
  await writeFile(page, `${project}/docs/${NAME}`, matrix(FOUR));
  await writeFile(page, `${project}/tests/test_req_001.py`, 'def test_one(): pass\n');
  await writeFile(page, `${project}/src/req-001.py`, '');
  await writeFile(
    page,
    `${project}/.claude/agents/qa-engineer.md`,
    '---\nname: qa-engineer\ndescription: Writes the failing tests first.\n---\nYou write tests.\n',
  );
  await page.evaluate(async (project) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle(project);
    (window as any).showDirectoryPicker = async () => folder;
  }, project);
  await (await fileAction(page, 'Open project folder')).click();
  await expect(linkStatus(page)).toContainText(`Linked to ${NAME}`);
  await expect(page.getByRole('combobox', { name: 'Acting as' }).getByRole('option', { name: 'qa-engineer' })).toHaveCount(1);
  // REQ-001's test and code exist; REQ-002's do not.
  await expect(card(page, 'REQ-002')).toContainText('missing on disk');
  await expect(card(page, 'REQ-001')).not.toContainText('missing on disk');

  // The details say of each path whether the folder has it, and look again for one added.
  await card(page, 'REQ-002').click();
  const details = page.getByRole('dialog', { name: /^REQ-002\b/ });
  await expect(details.getByRole('listitem').filter({ hasText: 'missing on disk' })).not.toHaveCount(0);
  const newTest = details.getByRole('textbox', { name: 'New test' });
  await newTest.fill('tests/test_req_001.py');
  await newTest.press('Enter');
  const added = details.getByRole('listitem').filter({ has: page.getByRole('textbox', { name: /^Test \d+$/ }) }).last();
  await expect(added).toContainText('on disk');
  await expect(added).not.toContainText('missing');
});

test('without the API the board works on a copy, and a newer version re-applies unsaved moves', async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as any).showOpenFilePicker;
    delete (window as any).showDirectoryPicker;
    delete (Window.prototype as any).showOpenFilePicker;
    delete (Window.prototype as any).showDirectoryPicker;
  });
  await page.goto('/');
  const openFolder = await fileAction(page, 'Open project folder');
  // The "File" menu is open, and the folder action is not in it.
  await expect(page.getByRole('button', { name: 'Copy matrix' })).toBeVisible();
  await expect(openFolder).toBeHidden();
  const open = async (text: string) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import matrix' }).first().click();
    await (await chooser).setFiles({ name: NAME, mimeType: 'application/json', buffer: Buffer.from(text) });
  };
  await open(matrix(FOUR));
  await expectCardIn(page, 'REQ-001', 'Backlog');
  await expect(linkStatus(page)).not.toContainText('Linked');
  await moveWithMenu(page, 'REQ-001', 'Test written');
  await expect(linkStatus(page)).toContainText('1 unsaved change');
  // A teammate's newer version of the same file, with REQ-003 moved.
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain('1 change to traceability_matrix.json');
    void dialog.accept();
  });
  await open(matrix(FOUR.map((r) => (r.id === 'REQ-003' ? { ...r, stage: 'red' } : r))));
  await expectCardIn(page, 'REQ-003', 'Red');
  await expectCardIn(page, 'REQ-001', 'Test written');
});

test('a project folder with two matrices asks which one to follow', async ({ page }) => {
  await page.goto('/');
  await clearPrivateFiles(page);
  await writeFile(page, `two/${NAME}`, matrix(FOUR.slice(0, 1)));
  await writeFile(page, `two/docs/${NAME}`, matrix(FOUR));
  await page.evaluate(async () => {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('two');
    (window as any).showDirectoryPicker = async () => folder;
  });
  await (await fileAction(page, 'Open project folder')).click();
  const dialog = page.getByRole('dialog', { name: 'Choose the matrix' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button')).toHaveText([NAME, `docs/${NAME}`, 'Cancel']);
  await dialog.getByRole('button', { name: `docs/${NAME}` }).click();
  await expect(dialog).toBeHidden();
  await expect(linkStatus(page)).toContainText(`Linked to ${NAME}`);
  await expectCardIn(page, 'REQ-004', 'Red');
});
