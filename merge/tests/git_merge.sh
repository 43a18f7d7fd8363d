#!/usr/bin/env bash
# The merge driver under real git: in a scratch repository holding an origin-format
# traceability_matrix.json, merges that git's line merge cannot do (adjacent moves, two
# appends) merge cleanly through the driver, and a true conflict is reported as one.
#
#   merge/tests/git_merge.sh [path/to/traceboard-merge]
#
# Without an argument it builds the release binary first.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -ge 1 ]; then
  bin=$1
else
  (cd "$root" && cargo build --quiet --release -p traceboard-merge)
  bin=${CARGO_TARGET_DIR:-$root/target}/release/traceboard-merge
fi
[ -x "$bin" ] || { echo "no merge driver at $bin" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# Only the repository's own settings count, whatever the machine's git configuration says.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Whether a file is JSON, with whichever reader the machine has.
parses() {
  if command -v python3 >/dev/null; then
    python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1"
  else
    node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1"
  fi
}

# The requirement with this id, as one line: stage and history (python3 or node).
summary() {
  if command -v python3 >/dev/null; then
    python3 - "$1" "$2" <<'PY'
import json, sys
reqs = json.load(open(sys.argv[1]))["requirements"]
r = next(r for r in reqs if r["id"] == sys.argv[2])
print(r["tdd_stage"], json.dumps(r["tdd_history"], separators=(",", ":")))
PY
  else
    node -e '
      const reqs = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).requirements;
      const r = reqs.find((r) => r.id === process.argv[2]);
      console.log(r.tdd_stage, JSON.stringify(r.tdd_history));' "$1" "$2"
  fi
}

# The base matrix, written as Python's json.dump(..., indent=2) writes it, or with one
# requirement per line (`compact`), as generators that write a line per row do.
write_base() { # [compact]
  local n sep=""
  {
    printf '{\n  "meta": {\n    "project": "Merge driver test",\n    "version": "1.0"\n  },\n  "requirements": ['
    for n in 1 2 3 4 5 6; do
      if [ "${1:-}" = compact ]; then
        printf '%s\n    {"id": "REQ-00%s", "ears": "WHEN event %s happens THE SYSTEM SHALL respond %s.", "tdd_stage": "backlog", "tests": [], "code": [], "tdd_history": []}' "$sep" "$n" "$n" "$n"
      else
        printf '%s\n    {\n      "id": "REQ-00%s",\n      "ears": "WHEN event %s happens THE SYSTEM SHALL respond %s.",\n      "tdd_stage": "backlog",\n      "tests": [],\n      "code": [],\n      "tdd_history": []\n    }' "$sep" "$n" "$n" "$n"
      fi
      sep=","
    done
    printf '\n  ]\n}\n'
  } >traceability_matrix.json
}

# Replaces, inside the requirement with this id, the first line that is exactly `old` with
# `new` (awk reads `\n` in it as a line break).
replace_in() { # id old new
  awk -v id="      \"id\": \"$1\"," -v old="$2" -v new="$3" '
    $0 == id { inside = 1 }
    inside && $0 == old { print new; inside = 0; next }
    { print }' traceability_matrix.json >traceability_matrix.json.new
  mv traceability_matrix.json.new traceability_matrix.json
}

# Moves a requirement from backlog as the board writes a move: its stage, a history entry.
move() { # id to
  replace_in "$1" '      "tdd_stage": "backlog",' "      \"tdd_stage\": \"$2\","
  replace_in "$1" '      "tdd_history": []' "      \"tdd_history\": [\n        {\n          \"from\": \"backlog\",\n          \"to\": \"$2\",\n          \"at\": \"2026-01-02T00:00:00Z\",\n          \"by\": \"tester\"\n        }\n      ]"
}

# The same move in the compact layout, where the requirement is one line.
move_compact() { # id to
  sed -i "/\"id\": \"$1\"/ {
    s/\"tdd_stage\": \"backlog\"/\"tdd_stage\": \"$2\"/
    s/\"tdd_history\": \[\]/\"tdd_history\": [{\"from\": \"backlog\", \"to\": \"$2\", \"at\": \"2026-01-02T00:00:00Z\", \"by\": \"tester\"}]/
  }" traceability_matrix.json
}

# Appends a requirement at the end of the list.
append() { # id
  awk -v id="$1" '
    $0 == "  ]" && !done {
      print prev ","
      print "    {"
      print "      \"id\": \"" id "\","
      print "      \"ears\": \"THE SYSTEM SHALL also do " id ".\","
      print "      \"tdd_stage\": \"backlog\","
      print "      \"tests\": [],"
      print "      \"code\": [],"
      print "      \"tdd_history\": []"
      print "    }"
      print
      done = 1
      have = 0
      next
    }
    { if (have) print prev; prev = $0; have = 1 }
    END { if (have) print prev }' traceability_matrix.json >traceability_matrix.json.new
  mv traceability_matrix.json.new traceability_matrix.json
}

commit() { git add -A && git commit -q -m "$1"; }

# A fresh repository with the base matrix on main and two branches from it, a and b.
setup() { # name [compact]
  local repo=$work/$1
  mkdir "$repo" && cd "$repo"
  git init -q -b main
  git config user.name "Merge Test"
  git config user.email "merge-test@example.invalid"
  git config commit.gpgsign false
  write_base "${2:-}"
  commit base
  git branch a && git branch b
}

use_driver() {
  echo 'traceability_matrix.json merge=traceboard' >.gitattributes
  git config merge.traceboard.name "Traceboard matrix merge"
  git config merge.traceboard.driver "$bin %O %A %B %P"
}

# git merge without the driver must conflict (else the case proves nothing), then is undone.
expect_plain_conflict() { # branch
  if git merge -q --no-edit "$1" >"$work/plain.out" 2>&1; then
    fail "plain git merged $1 without a conflict; the case proves nothing"
  fi
  grep -q '^<<<<<<<' traceability_matrix.json || fail "no conflict markers from plain git"
  git merge --abort
}

merge_with_driver() { # branch what
  git merge -q --no-edit "$1" >"$work/out" 2>&1 || { cat "$work/out" >&2; fail "the driver did not merge $2"; }
  parses traceability_matrix.json || fail "the merged file is not JSON"
  ! grep -q '<<<<<<<' traceability_matrix.json || fail "conflict markers in the merged file"
}

moved='test_written [{"from":"backlog","to":"test_written","at":"2026-01-02T00:00:00Z","by":"tester"}]'

# (a) Adjacent moves: a moves REQ-002, b moves REQ-003. In a file written with indent=2 a
# requirement spans 8 lines, so git's line merge takes these too (the changes are 4 lines
# apart); the driver must then give the very same bytes.
setup adjacent
git checkout -q a && move REQ-002 test_written && commit "move REQ-002"
git checkout -q b && move REQ-003 test_written && commit "move REQ-003"
git checkout -q a
git merge -q --no-edit b >/dev/null 2>&1 || fail "plain git conflicts on moves 4 lines apart"
cp traceability_matrix.json "$work/plain.json"
git reset -q --hard ORIG_HEAD
use_driver
merge_with_driver b "adjacent moves"
[ "$(summary traceability_matrix.json REQ-002)" = "$moved" ] || fail "REQ-002's move was lost"
[ "$(summary traceability_matrix.json REQ-003)" = "$moved" ] || fail "REQ-003's move was lost"
[ "$(summary traceability_matrix.json REQ-004)" = "backlog []" ] || fail "REQ-004 changed"
cmp -s traceability_matrix.json "$work/plain.json" || fail "the driver's merge differs from git's line merge"
echo "PASS adjacent moves (indent=2): the driver merges both, byte for byte as git's line merge"

# (a2) Adjacent moves with a requirement per line: git's line merge conflicts.
setup adjacent-compact compact
git checkout -q a && move_compact REQ-002 test_written && commit "move REQ-002"
git checkout -q b && move_compact REQ-003 test_written && commit "move REQ-003"
git checkout -q a
expect_plain_conflict b
use_driver
merge_with_driver b "adjacent moves, a requirement per line"
[ "$(summary traceability_matrix.json REQ-002)" = "$moved" ] || fail "REQ-002's move was lost"
[ "$(summary traceability_matrix.json REQ-003)" = "$moved" ] || fail "REQ-003's move was lost"
cp traceability_matrix.json "$work/merged.json"
git show main:traceability_matrix.json >traceability_matrix.json
move_compact REQ-002 test_written
move_compact REQ-003 test_written
cmp -s traceability_matrix.json "$work/merged.json" ||
  { diff -u traceability_matrix.json "$work/merged.json" >&2; fail "the merge is not the base with both moves"; }
git checkout -q traceability_matrix.json
echo "PASS adjacent moves (a requirement per line): plain git conflicts, the driver merges both moves"

# (a3) One requirement, two keys: a moves REQ-002, b lists its code. The code line sits next
# to tdd_history, so git's line merge conflicts; the driver merges key by key.
setup same-requirement
git checkout -q a && move REQ-002 test_written && commit "move REQ-002"
git checkout -q b && replace_in REQ-002 '      "code": [],' '      "code": [\n        "src/respond_2.py"\n      ],' && commit "code for REQ-002"
git checkout -q a
expect_plain_conflict b
use_driver
merge_with_driver b "a move and a code list on one requirement"
cp traceability_matrix.json "$work/merged.json"
git show main:traceability_matrix.json >traceability_matrix.json
move REQ-002 test_written
replace_in REQ-002 '      "code": [],' '      "code": [\n        "src/respond_2.py"\n      ],'
cmp -s traceability_matrix.json "$work/merged.json" ||
  { diff -u traceability_matrix.json "$work/merged.json" >&2; fail "the merge is not the base with both changes"; }
git checkout -q traceability_matrix.json
echo "PASS a move and a code list on one requirement: plain git conflicts, the driver merges both keys"

# (b) Two appends: a adds REQ-007, b adds REQ-008, both at the end.
setup appends
git checkout -q a && append REQ-007 && commit "add REQ-007"
git checkout -q b && append REQ-008 && commit "add REQ-008"
git checkout -q a
expect_plain_conflict b
use_driver
merge_with_driver b "two appends"
for id in REQ-001 REQ-006 REQ-007 REQ-008; do
  [ "$(summary traceability_matrix.json "$id")" = "backlog []" ] || fail "$id is missing"
done
[ "$(grep -c '"id": "REQ-' traceability_matrix.json)" = 8 ] || fail "not 8 requirements"
echo "PASS two appends: plain git conflicts, the driver keeps both requirements"

# (c) A true conflict: both move REQ-004, to different stages.
setup conflict
git checkout -q a && move REQ-004 test_written && commit "REQ-004 to test_written"
git checkout -q b && move REQ-004 red && commit "REQ-004 to red"
git checkout -q a
use_driver
if git merge --no-edit b >"$work/out" 2>&1; then
  fail "the driver merged a true conflict"
fi
grep -q 'traceboard-merge: traceability_matrix.json: [0-9]* conflicting requirement key(s); ours kept in the file:' "$work/out" ||
  { cat "$work/out" >&2; fail "the driver did not report the conflict"; }
grep -q '  REQ-004 "tdd_stage": ours "test_written", theirs "red"' "$work/out" ||
  { cat "$work/out" >&2; fail "the conflict does not name REQ-004"; }
grep -q 'CONFLICT (content): Merge conflict in traceability_matrix.json' "$work/out" || fail "git did not report a conflict"
git ls-files -u -- traceability_matrix.json | grep -q . || fail "git does not list the file as unmerged"
parses traceability_matrix.json || fail "the work tree's file is not JSON"
[ "$(summary traceability_matrix.json REQ-004 | cut -d' ' -f1)" = test_written ] || fail "ours was not kept"
git merge --abort
echo "PASS true conflict: the driver exits non-zero, git marks the file conflicted, REQ-004 is named"
