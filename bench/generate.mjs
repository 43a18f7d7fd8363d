// Writes deterministic traceability matrices for the benchmark, in the origin format:
//   {"meta": {...}, "requirements": [{"id": "REQ-00001", "ears": ..., "tdd_stage": ...}, ...]}
// Each requirement has an EARS sentence of about 150 characters, three tests, two code paths
// and a note; stages are spread over all five columns. The same size and seed always give
// the same bytes (2-space indentation, ASCII only, no trailing newline, as Python's
// `json.dump(obj, f, indent=2)` writes it), so runs on different days compare.
//
// The same requirements also come in an unfamiliar shape (`generateUnfamiliarMatrix`), for
// the cost of finding them in a file that is not in the origin format:
//   {"schemaVersion": 1, "generatedAt": ..., "traceability": {"items": [{"requirementId":
//    "FR-00001", "summary": ..., "category": ..., "importance": ..., "state": "Partially
//    Implemented", "verification": {"tests": [...]}, "artifacts": {"code":
//    [...]}, "notes": [...]}, ...]}, "coverage": {"FR-00001": ["src/...", "tests/..."], ...}}
// The requirements sit in a nested container under a key that does not say "requirements",
// with a camelCase id, aliases for the text, type and priority, a status word from the
// board's vocabulary instead of `tdd_stage`, tests and code nested in groups, and one more
// code path and test in a `coverage` map keyed by requirement id (joined at import). Each
// requirement lands in the column it has in the origin-format file (its state word and links
// say the same stage), and the file is about as large.
//
// Library: `generateMatrix(size, seed)` and `generateUnfamiliarMatrix(size, seed)` return
// `{ text, requirements }`.
// Command line: node bench/generate.mjs [--unfamiliar] <size> <out.json> [seed]

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const STAGES = ['backlog', 'test_written', 'red', 'green', 'reviewed'];
/** Share of requirements in each stage, in STAGES order: a board in mid-project. */
const STAGE_WEIGHTS = [0.3, 0.15, 0.15, 0.2, 0.2];
/** The `status` the board expects for each stage (its lifecycle), so no card warns. */
const LIFECYCLE = {
  backlog: 'proposed',
  test_written: 'in_progress',
  red: 'in_progress',
  green: 'implemented',
  reviewed: 'tested',
};

/** mulberry32: a small, fast, seeded PRNG; plenty for picking words. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = ['accounts', 'billing', 'search', 'orders', 'inventory', 'auth', 'reports', 'notifications', 'catalog', 'audit'];
const ACTORS = ['a signed-in user', 'an administrator', 'a guest', 'the billing service', 'an auditor', 'a support agent', 'the nightly job'];
const EVENTS = [
  'submits the sign-up form with a valid email address',
  'requests a password reset from the login page',
  'uploads an invoice larger than the configured limit',
  'changes the delivery address of an open order',
  'exports the monthly report as a spreadsheet',
  'searches the catalog with an empty query',
  'cancels a subscription before the renewal date',
  'opens a record that another user is editing',
];
const STATES = [
  'the payment provider is unreachable',
  'the account is locked after repeated failed logins',
  'a data migration is in progress',
  'the user has not confirmed the email address',
  'the session is older than thirty minutes',
];
const RESPONSES = [
  'record the change in the audit log with the actor, the time and the previous value',
  'send a confirmation email with a single-use link that expires after thirty minutes',
  'reject the request with a message that names the field and the accepted range',
  'keep the draft and show a notice that explains how to retry the operation',
  'refresh the totals within two seconds without reloading the whole page',
  'store only a salted Argon2id hash of the secret and never the secret itself',
  'return the first fifty results ordered by relevance and then by date',
];
const TAILS = [
  'for every tenant',
  'and notify the owner of the record',
  'within five hundred milliseconds at the 95th percentile',
  'using the language chosen in the profile',
  'without exposing personal data in the logs',
];
const TYPES = ['functional', 'functional', 'functional', 'non_functional', 'constraint', 'interface'];
const PRIORITIES = ['critical', 'high', 'medium', 'medium', 'low'];
const NOTES = [
  'Agreed with the product owner in the planning review; revisit after the pilot.',
  'Depends on the payment provider sandbox being available in CI.',
  'Edge cases listed in the design document, section on error handling.',
  'Security review asked for rate limiting on this path as well.',
  'Split from a larger story; the remaining part is tracked separately.',
];
const VERBS = ['accepts', 'rejects', 'records', 'sends', 'keeps', 'refreshes', 'stores', 'returns'];

/** An EARS sentence of about 150 characters (one of the five EARS patterns). */
function ears(pick) {
  const response = pick(RESPONSES);
  const start = [
    () => `WHEN ${pick(ACTORS)} ${pick(EVENTS)} THE SYSTEM SHALL ${response}`,
    () => `WHILE ${pick(STATES)} THE SYSTEM SHALL ${response}`,
    () => `IF ${pick(STATES)} THEN THE SYSTEM SHALL ${response}`,
    () => `WHERE ${pick(AREAS)} is enabled THE SYSTEM SHALL ${response}`,
    () => `THE SYSTEM SHALL ${response}`,
  ][Math.floor(pick.random() * 5)]();
  let text = start;
  // Lengthen short sentences with qualifiers until they are about 150 characters.
  const tails = [...TAILS];
  while (text.length < 135 && tails.length > 0) {
    text += ` ${tails.splice(Math.floor(pick.random() * tails.length), 1)[0]}`;
  }
  return `${text}.`;
}

/** Picks a stage with STAGE_WEIGHTS, so every size has all five columns in about the same shares. */
function stageOf(random) {
  let r = random();
  for (let s = 0; s < STAGES.length; s++) {
    r -= STAGE_WEIGHTS[s];
    if (r < 0) return STAGES[s];
  }
  return STAGES[STAGES.length - 1];
}

/** The seeded requirements of a board of `size`, as origin-format objects. */
function seededRequirements(size, seed) {
  const random = prng(seed ^ size);
  const pick = (list) => list[Math.floor(random() * list.length)];
  pick.random = random;
  const requirements = [];
  for (let i = 1; i <= size; i++) {
    const id = `REQ-${String(i).padStart(5, '0')}`;
    const area = pick(AREAS);
    const stage = stageOf(random);
    const tests = [1, 2, 3].map(
      (k) => `tests/${area}/test_${area}_${String(i).padStart(5, '0')}.py::test_${pick(VERBS)}_case_${k}`,
    );
    const code = [`src/${area}/service.py`, `src/${area}/${pick(['handlers', 'models', 'views', 'rules'])}.py`];
    requirements.push({
      id,
      ears: ears(pick),
      type: pick(TYPES),
      priority: pick(PRIORITIES),
      status: LIFECYCLE[stage],
      governance_status: stage === 'reviewed' ? 'approved' : 'not_reviewed',
      tests,
      code,
      notes: [pick(NOTES)],
      tdd_stage: stage,
    });
  }
  return requirements;
}

/**
 * Builds a matrix of `size` requirements. Returns the file's text and, for the harness, the
 * requirements as plain objects (id, stage, test count).
 */
export function generateMatrix(size, seed = 20251126) {
  const requirements = seededRequirements(size, seed);
  const matrix = {
    meta: {
      project: `Benchmark project (${size} requirements)`,
      version: '1.0',
      generated_by: `Traceboard bench/generate.mjs (seed ${seed})`,
      generated_at: '2025-01-01T00:00:00Z',
    },
    requirements,
  };
  const text = JSON.stringify(matrix, null, 2);
  return {
    text,
    requirements: requirements.map((r) => ({ id: r.id, stage: r.tdd_stage, tests: r.tests.length })),
  };
}

/**
 * For each stage, the state word the unfamiliar file writes, and which of the requirement's
 * tests and code it lists: with the board's status families (core/src/vocabulary.rs) these
 * give back the stage, so both files fill the columns alike. Not Started without tests is
 * Backlog; In Progress with tests and no code is Test written; Partially Implemented with
 * tests and code is Red; Implemented is Green; Verified is Reviewed.
 */
const UNFAMILIAR = {
  backlog: { state: 'Not Started', tests: false, code: true },
  test_written: { state: 'In Progress', tests: true, code: false },
  red: { state: 'Partially Implemented', tests: true, code: true },
  green: { state: 'Implemented', tests: true, code: true },
  reviewed: { state: 'Verified', tests: true, code: true },
};

/**
 * The requirements of `generateMatrix(size, seed)` in an unfamiliar shape (see the header).
 * Returns the file's text and the requirements (their ids in this file, the stage the board
 * should give them and how many tests they list, counting the coverage map's).
 */
export function generateUnfamiliarMatrix(size, seed = 20251126) {
  const items = [];
  const coverage = {};
  const requirements = [];
  for (const r of seededRequirements(size, seed)) {
    const id = r.id.replace(/^REQ-/, 'FR-');
    const how = UNFAMILIAR[r.tdd_stage];
    items.push({
      requirementId: id,
      summary: r.ears,
      category: r.type,
      importance: r.priority,
      state: how.state,
      verification: { tests: how.tests ? r.tests.slice(0, 2) : [] },
      artifacts: { code: how.code ? [r.code[0]] : [] },
      notes: r.notes,
    });
    coverage[id] = [...(how.code ? [r.code[1]] : []), ...(how.tests ? [r.tests[2]] : [])];
    requirements.push({ id, stage: r.tdd_stage, tests: how.tests ? 3 : 0 });
  }
  const matrix = {
    schemaVersion: 1,
    generatedAt: '2025-01-01T00:00:00Z',
    generator: `Traceboard bench/generate.mjs, unfamiliar shape (seed ${seed})`,
    traceability: { items },
    coverage,
  };
  return { text: JSON.stringify(matrix, null, 2), requirements };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const unfamiliar = args[0] === '--unfamiliar';
  const [size, out, seed] = unfamiliar ? args.slice(1) : args;
  if (!size || !out) {
    console.error('usage: node bench/generate.mjs [--unfamiliar] <size> <out.json> [seed]');
    process.exit(2);
  }
  const generate = unfamiliar ? generateUnfamiliarMatrix : generateMatrix;
  const { text } = generate(Number(size), seed ? Number(seed) : undefined);
  writeFileSync(out, text);
  console.error(`wrote ${out}: ${size} requirements, ${text.length} bytes`);
}
