// The baseline board in plain JavaScript (no framework, no build), the "vanilla" entry the
// benchmark divides Traceboard's figures by, as js-framework-benchmark does.
//
// Import: the hidden file input's file is read as text, parsed with JSON.parse, and each
// column's cards are built into a DocumentFragment, then inserted at once. Move: pointerdown
// on a card, a pointermove past a 5 px threshold starts the drag, pointerup over another
// column moves the card's element there, kept in file order, and sets its `tdd_stage`. The
// column under the pointer comes from the columns' rectangles taken when the drag starts:
// `elementFromPoint` after a style change costs tens of milliseconds on a 10,000-card page
// (it brings the whole document's rendering up to date before hit testing).
// Export: JSON.stringify(matrix, null, 2) in a Blob, offered through an object URL.
// It does no gate checks, no history and no autosave: the least work that shows the board.
'use strict';

const STAGES = ['backlog', 'test_written', 'red', 'green', 'reviewed'];
const TITLES = ['Backlog', 'Test written', 'Red', 'Green', 'Reviewed'];
const DRAG_THRESHOLD_PX = 5;

let matrix = null; // the parsed file
let fileName = 'traceability_matrix.json';
let entries = []; // one per requirement, in file order: { req, stage, el }
let lists = {}; // stage -> the column's <ol>
let counts = {}; // stage -> the column's count <span>
let press = null; // { entry, x, y } while the pointer is down on a card
let dragging = false;
let over = null; // the column element under the pointer while dragging
let columnRects = []; // [section, DOMRect] of each column, taken when a drag starts

const board = document.getElementById('board');
const fileInput = document.getElementById('file');
const exportButton = document.getElementById('export');
const status = document.querySelector('[role=status]');

document.getElementById('import').addEventListener('click', () => {
  fileInput.value = '';
  fileInput.click();
});
fileInput.addEventListener('change', async () => {
  const file = fileInput.files[0];
  if (!file) return;
  fileName = file.name;
  openMatrix(JSON.parse(await file.text()));
});
exportButton.addEventListener('click', exportMatrix);

/** Creates an element with a class and, optionally, text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The card markup Traceboard renders: id, priority, text, test and code counts. */
function cardElement(index, req) {
  const tests = Array.isArray(req.tests) ? req.tests : [];
  const code = Array.isArray(req.code) ? req.code : [];
  const text = req.ears || '';
  const li = el('li', 'card');
  li.id = `card-${index}`;
  li.dataset.entry = index;
  li.tabIndex = 0;
  li.setAttribute('role', 'button');
  li.setAttribute('aria-roledescription', 'draggable card');
  li.setAttribute('aria-label', text ? `${req.id}: ${text}` : req.id);
  const head = el('div', 'card-head');
  head.append(el('span', 'card-id', req.id));
  if (req.priority) head.append(el('span', `priority priority-${String(req.priority).toLowerCase()}`, req.priority));
  const meta = el('div', 'card-meta');
  const testChip = el('span', 'chip', `${tests.length} test${tests.length === 1 ? '' : 's'}`);
  testChip.title = tests.join('\n');
  const codeChip = el('span', 'chip', `${code.length} code`);
  codeChip.title = code.join('\n');
  meta.append(testChip, codeChip);
  li.append(head, el('p', 'card-text', text), meta);
  return li;
}

/** Replaces the board with the matrix's requirements, one card each, in file order. */
function openMatrix(parsed) {
  matrix = parsed;
  const reqs = Array.isArray(matrix.requirements) ? matrix.requirements : [];
  const fragments = Object.fromEntries(STAGES.map((s) => [s, document.createDocumentFragment()]));
  entries = reqs.map((req, index) => {
    const stage = STAGES.includes(req.tdd_stage) ? req.tdd_stage : 'backlog';
    const card = cardElement(index, req);
    fragments[stage].append(card);
    return { req, stage, el: card };
  });
  const columns = STAGES.map((stage, i) => {
    const section = el('section', 'column');
    section.dataset.stage = stage;
    section.setAttribute('role', 'region');
    section.setAttribute('aria-labelledby', `column-${stage}`);
    const header = el('header', 'column-header');
    const title = el('h2', '', TITLES[i]);
    title.id = `column-${stage}`;
    counts[stage] = el('span', 'count', String(fragments[stage].childElementCount));
    header.append(title, counts[stage]);
    lists[stage] = el('ol', 'cards');
    lists[stage].append(fragments[stage]);
    section.append(header, lists[stage]);
    return section;
  });
  board.replaceChildren(...columns);
  const perStage = STAGES.map((s, i) => `${lists[s].childElementCount} ${TITLES[i]}`).join(', ');
  status.querySelector('.notice-text').textContent =
    `Imported ${entries.length} requirement${entries.length === 1 ? '' : 's'}: ${perStage}.`;
  status.hidden = false;
  exportButton.disabled = false;
}

// Dragging, with the listeners on the board: pointer capture sends the card's events there.
board.addEventListener('pointerdown', (ev) => {
  const card = ev.target.closest('li.card');
  if (!card || ev.button !== 0) return;
  press = { entry: Number(card.dataset.entry), x: ev.clientX, y: ev.clientY };
  card.setPointerCapture(ev.pointerId);
});

board.addEventListener('pointermove', (ev) => {
  if (!press) return;
  if (!dragging) {
    if (Math.hypot(ev.clientX - press.x, ev.clientY - press.y) < DRAG_THRESHOLD_PX) return;
    dragging = true;
    columnRects = [...board.querySelectorAll('section[data-stage]')].map((s) => [s, s.getBoundingClientRect()]);
    entries[press.entry].el.classList.add('dragging');
  }
  ev.preventDefault();
  const column = columnAt(ev.clientX, ev.clientY);
  if (column !== over) {
    over?.classList.remove('drop-target');
    over = column;
    over?.classList.add('drop-target');
  }
});

board.addEventListener('pointerup', (ev) => {
  if (!press) return;
  const entry = entries[press.entry];
  entry.el.releasePointerCapture(ev.pointerId);
  press = null;
  if (!dragging) return;
  dragging = false;
  entry.el.classList.remove('dragging');
  over?.classList.remove('drop-target');
  const to = columnAt(ev.clientX, ev.clientY)?.dataset.stage;
  over = null;
  if (to && to !== entry.stage) moveCard(entry, to);
});

board.addEventListener('pointercancel', () => {
  if (press) entries[press.entry].el.classList.remove('dragging');
  over?.classList.remove('drop-target');
  press = null;
  dragging = false;
  over = null;
});

/** The column under a point of the window during a drag, if any. */
function columnAt(x, y) {
  const hit = columnRects.find(([, r]) => x >= r.left && x < r.right && y >= r.top && y < r.bottom);
  return hit ? hit[0] : null;
}

/** Moves a card to column `to`, before the first card that comes later in the file. */
function moveCard(entry, to) {
  const from = entry.stage;
  entry.stage = to;
  entry.req.tdd_stage = to;
  const list = lists[to];
  const index = Number(entry.el.dataset.entry);
  // Binary search over the column's cards, which are in file order.
  const cards = list.children;
  let lo = 0;
  let hi = cards.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Number(cards[mid].dataset.entry) < index) lo = mid + 1;
    else hi = mid;
  }
  list.insertBefore(entry.el, cards[lo] ?? null);
  counts[from].textContent = String(lists[from].childElementCount);
  counts[to].textContent = String(list.childElementCount);
}

/** Downloads the matrix with every card's stage written back. */
function exportMatrix() {
  if (!matrix) return;
  const text = JSON.stringify(matrix, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
