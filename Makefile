# Dossier — the two commands are `make run` and `make test`; each installs what is missing first.
# A build cache outside the checkout is honoured through CARGO_TARGET_DIR.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
export PATH := $(HOME)/.cargo/bin:$(PATH)
APP_FEATURES := --features dossier-app/custom-protocol
XVFB := xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session --

.PHONY: run test setup setup-test ui app cli check fmt clippy rust-test ui-test e2e bench bench-crash bench-search bench-import bench-export bench-extract bench-stories bench-feeds clean

## run: install what is missing, build, and open the desktop app on the default workspace
run: setup ui
	$(CARGO) build -p dossier-app -p dossier-cli $(APP_FEATURES)
	@echo "Workspace: $${DOSSIER_DB:-$${XDG_DATA_HOME:-$$HOME/.local/share}/dossier/workspace.sqlite}"
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  "$(TARGET_DIR)/debug/dossier-app"; \
	else \
	  echo "No display found: running under a virtual display (Xvfb)."; \
	  $(XVFB) "$(TARGET_DIR)/debug/dossier-app"; \
	fi

## test: install what is missing and run every test (format, lint, Rust, UI, end to end)
test: setup-test check rust-test ui-test e2e
	@echo "make test: all suites passed"

setup:
	scripts/setup.sh run

setup-test:
	scripts/setup.sh test

ui:
	npm --prefix ui run build

check: fmt clippy deny
	npm --prefix ui run check
	npm --prefix ui run lint

.PHONY: deny
# The dependency tree against deny.toml: licences, banned and wildcard requirements, sources
# (crates.io only). Not advisories: cargo-deny clones the RustSec database from GitHub, which
# these build machines cannot reach; run `cargo deny check advisories` where GitHub is reachable.
deny:
	@command -v cargo-deny >/dev/null || { echo "cargo-deny is missing: run scripts/setup.sh test"; exit 1; }
	$(CARGO) deny --log-level error check --show-stats licenses bans sources

fmt:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --workspace --all-targets $(APP_FEATURES) -- -D warnings

rust-test: ui
	$(CARGO) test --workspace --exclude dossier-e2e $(APP_FEATURES)

ui-test:
	npm --prefix ui test

# The real window, driven through tauri-driver and WebKitWebDriver under Xvfb; and the browser
# extension in a real Chromium (chromedriver) against `dossier connector serve`.
e2e: ui extension
	$(CARGO) build -p dossier-app -p dossier-cli $(APP_FEATURES)
	$(XVFB) $(CARGO) test -p dossier-e2e -- --test-threads=1

## bench: the performance figures the issues name (release builds; prints tables)
bench: setup ui bench-search bench-import bench-export bench-crash bench-connector bench-sync

bench-search:
	$(CARGO) build --release -p dossier-cli
	$(CARGO) bench -p dossier-store --bench search

# `dossier import` of 1,000 and 5,000 notes through the release CLI, as a user runs it (the
# bench spawns the binary), then the in-process figures; prints a table.
bench-import:
	$(CARGO) build --release -p dossier-cli
	$(CARGO) bench -p dossier-api --bench import

# `dossier feed poll --all --json` through the release CLI over 200 feeds × 50 entries served
# from 127.0.0.1: the first poll (summaries only) and a poll with nothing new; prints medians.
# Then the near-duplicate half of monitoring (bench-stories: lookup at 100k sources, accuracy).
bench-feeds:
	$(CARGO) build --release -p dossier-cli
	$(CARGO) bench -p dossier-api --bench feeds
	$(MAKE) bench-stories

bench-export:
	$(CARGO) bench -p dossier-export --bench export

# Article text on the public extraction benchmark's 181 pages, scored by its own evaluate.py.
# Needs DOSSIER_EXTRACT_BENCH=path/to/article-extraction-benchmark (it says how to get it); not
# part of `make bench`, since the pages are not in this repository.
bench-extract:
	$(CARGO) bench -p dossier-ingest --bench extract

# One story across outlets: near-duplicate lookup at 100,000 sources (generated once, kept under
# the target folder), then recall and wrong pairs on real public-domain text. The text is not in
# this repository: DOSSIER_STORIES_TEXT=path/to/plain.txt, else the King James Version from
# Debian's bible-kjv package (installed here with apt-get when missing and run as root).
STORIES_TEXT := $(TARGET_DIR)/bench-stories/kjv.txt
bench-stories:
	@if [ -z "$${DOSSIER_STORIES_TEXT:-}" ] && [ ! -s "$(STORIES_TEXT)" ]; then \
	  if ! command -v bible >/dev/null; then \
	    echo "bench-stories: installing Debian's bible-kjv for its public-domain text (or set DOSSIER_STORIES_TEXT)"; \
	    apt-get install -y -qq bible-kjv >/dev/null; \
	  fi; \
	  mkdir -p "$(dir $(STORIES_TEXT))"; \
	  bible -f "Gen1:1-Rev22:21" > "$(STORIES_TEXT)"; \
	fi
	DOSSIER_STORIES_TEXT="$${DOSSIER_STORIES_TEXT:-$(STORIES_TEXT)}" $(CARGO) bench -p dossier-store --bench stories

# 1,000 SIGKILLs of bulk writes through the CLI (`make test` runs the same test with 100).
bench-crash:
	DOSSIER_CRASH_KILLS=1000 $(CARGO) test --release -p dossier-cli --test crash -- --nocapture

.PHONY: package bench-app extension package-extension bench-connector

## extension: the browser extension, built for Chromium and Firefox in browser/dist/ (TypeScript
## through the UI's tsc; see browser/build.mjs)
extension:
	node browser/build.mjs

## package-extension: browser/dist/dossier-chromium.zip and browser/dist/dossier-firefox.xpi
package-extension: extension
	@ls -1 browser/dist/dossier-chromium.zip browser/dist/dossier-firefox.xpi

## bench-connector: round trip of saving a 200 KB page through a running `dossier connector
## serve` (release build); prints the median
bench-connector:
	$(CARGO) build --release -p dossier-cli
	$(CARGO) bench -p dossier-cli --bench connector

## bench-sync: a team workspace at size through the release CLI against a real PostgreSQL:
## join 100k excerpts, push and pull 10,000 changes, twenty replicas for five minutes
bench-sync: setup-test
	$(CARGO) build --release -p dossier-cli
	$(CARGO) bench -p dossier-cli --bench sync

## package: a .deb of the desktop app and the `dossier` CLI in target/release/bundle/deb/, and
## the browser extension's packages (package-extension)
# Tauri's deb bundler works offline; its AppImage bundler downloads a tool, so it is not used.
# The CLI, its shell completions and its man page are staged in DEB_EXTRA (inside the checkout,
# since the target dir may not be, and gitignored); bundle.linux.deb.files in
# src-tauri/tauri.conf.json maps each file there to its place in the package.
DEB_EXTRA := src-tauri/gen/deb-extra
package: setup ui package-extension
	$(CARGO) build --release -p dossier-cli
	rm -rf $(DEB_EXTRA)
	mkdir -p $(DEB_EXTRA)
	install -m 755 "$(TARGET_DIR)/release/dossier" $(DEB_EXTRA)/dossier
	$(DEB_EXTRA)/dossier completions bash > $(DEB_EXTRA)/dossier.bash
	$(DEB_EXTRA)/dossier completions zsh > $(DEB_EXTRA)/_dossier
	$(DEB_EXTRA)/dossier completions fish > $(DEB_EXTRA)/dossier.fish
	$(DEB_EXTRA)/dossier man | gzip -9n > $(DEB_EXTRA)/dossier.1.gz
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb
	@ls -1 "$(TARGET_DIR)"/release/bundle/deb/*.deb

## bench-app: launch, long-source and idle-memory figures of the release app (2,000 sources)
bench-app: setup-test ui
	$(CARGO) build --release -p dossier-app $(APP_FEATURES)
	DOSSIER_E2E_PROFILE=release $(XVFB) $(CARGO) bench -p dossier-e2e --bench app

clean:
	$(CARGO) clean
	rm -rf ui/dist
