# Traceboard's commands. Each one installs what is missing first (scripts/setup.sh).
#   make serve   build and serve the board at http://127.0.0.1:8080, opening a browser if there is one
#   make test    run every test layer: fmt, clippy, native tests, browser tests, the release
#                build and its size budget, Playwright
#   make size    check the built page's gzipped transfer against its budget (525 KB)
#   make dist    build a static copy into dist/ that works from any static host and sub-path
#   make bench   measure import, move, export, heap and size against a plain-JS baseline
#   make corpus  import every real matrix and agent file in ../shared/corpus, compared with
#                the expected outcomes in core/examples/corpus_expected.txt
#   make merge-driver  build the git merge driver, target/release/traceboard-merge (README:
#                "Merging the matrix in git")

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: serve test dist size bench corpus setup-build setup-test test-native test-browser test-e2e lint \
	merge-driver test-merge-driver

setup-build:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

serve: setup-build
	trunk serve --offline $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname))),--open)

dist: setup-build
	trunk build --release --offline --public-url ./

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	# For wasm too: the core's property tests are native only (core/Cargo.toml says why).
	cargo clippy --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings

test-native:
	cargo test --workspace

test-browser:
	cargo test --target wasm32-unknown-unknown --test browser

# The git merge driver (merge/), and real git merges through it in a scratch repository.
MERGE_DRIVER := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)/release/traceboard-merge

merge-driver:
	cargo build --release -p traceboard-merge

test-merge-driver: merge-driver
	merge/tests/git_merge.sh $(MERGE_DRIVER)

test-e2e: dist
	npx playwright test

# The scripts' own tests first (the budget must be able to fail), then the budget itself.
size: dist
	node --test scripts/scripts.test.mjs
	node scripts/check-size.mjs dist

test: setup-test lint test-native test-merge-driver test-browser size test-e2e
	@echo "All test layers passed."

bench: setup-test dist
	node bench/run.mjs
	node bench/details.mjs
	node bench/planning.mjs
	cargo run -q --release -p traceboard-core --example results_time
	node bench/flow.mjs
	cargo run -q --release -p traceboard-core --example flow_time

# The outcome of every real file, compared with the table of expected outcomes: a diff is a
# change in how real files land (update the table when the change is meant).
corpus:
	mkdir -p target
	cargo run -q -p traceboard-core --release --example corpus -- ../shared/corpus/matrices/* ../shared/corpus/agents/* > target/corpus.txt
	diff -u core/examples/corpus_expected.txt target/corpus.txt && echo "Every corpus file lands as expected."
