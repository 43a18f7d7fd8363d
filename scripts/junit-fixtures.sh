#!/usr/bin/env bash
# Makes the real JUnit XML reports in tests/fixtures/junit/real by running real test runners
# on the small projects in tests/fixtures/junit/projects: pytest (both junit families),
# cargo-nextest, vitest's junit reporter and Playwright's. Each project fails one test on
# purpose. Not part of `make test` (it needs pytest, and installs vitest into a scratch
# folder); the reports it wrote are committed, and core/src/results/tests.rs reads them.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
projects="$root/tests/fixtures/junit/projects"
out="$root/tests/fixtures/junit/real"
mkdir -p "$out"

(cd "$projects/python" &&
  python3 -m pytest -q -p no:cacheprovider --junitxml="$out/pytest_xunit2.xml" tests >/dev/null;
  python3 -m pytest -q -p no:cacheprovider -o junit_family=xunit1 --junitxml="$out/pytest_xunit1.xml" tests >/dev/null)

# nextest writes its report under the workspace's own target/nextest, whatever the build's
# target directory; both are removed afterwards.
(cd "$projects/rust" &&
  CARGO_TARGET_DIR="${TMPDIR:-/tmp}/junit-fixture-target" cargo nextest run --no-fail-fast >/dev/null 2>&1;
  cp target/nextest/default/junit.xml "$out/nextest.xml" && rm -rf target Cargo.lock)

(cd "$projects/playwright" &&
  PLAYWRIGHT_JUNIT_OUTPUT_NAME="$out/playwright.xml" "$root/node_modules/.bin/playwright" test \
    --config playwright.config.ts >/dev/null 2>&1;
  mv -f junit.xml "$out/playwright.xml" 2>/dev/null || true)

vitest="${TMPDIR:-/tmp}/junit-fixture-vitest"
[ -x "$vitest/node_modules/.bin/vitest" ] ||
  npm install --prefix "$vitest" --no-audit --no-fund --silent vitest@3 >/dev/null
(cd "$projects/vitest" &&
  "$vitest/node_modules/.bin/vitest" run --root . --reporter=junit --outputFile="$out/vitest.xml" >/dev/null 2>&1)

ls -l "$out"
