#!/usr/bin/env bash
# Installs what Dossier needs to build (and, with `test`, to test) on Debian or Ubuntu, and only
# what is missing: a second run does nothing but check. Uses sudo when not run as root.
#
#   scripts/setup.sh run    # build and run the app
#   scripts/setup.sh test   # … plus the tools the tests drive (Xvfb, WebKitWebDriver, tauri-driver,
#                           #   Chromium and chromedriver, PostgreSQL)
set -euo pipefail

purpose="${1:-run}"
root="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  die "installing system packages needs root; run as root or install sudo"
fi

# Node.js: Vite needs 20.19 or newer (ui/package.json `engines`). Decided before anything is
# installed: Debian 12 and Ubuntu 22.04/24.04 package Node 18 or older, and installing their
# `nodejs` only to refuse it afterwards would cost a newcomer hundreds of MB for nothing.
node_min_major=20
node_min_minor=19
node_min="$node_min_major.$node_min_minor"
# new_enough VERSION: true when VERSION (e.g. 20.20.2, v18.19.1, 1:20.19.2+dfsg-1) >= node_min.
new_enough() {
  local v="${1#v}"
  v="${v#*:}"
  local major="${v%%.*}" rest="${v#*.}"
  local minor="${rest%%[!0-9]*}"
  [[ "$major" =~ ^[0-9]+$ ]] || return 1
  [ "$major" -gt "$node_min_major" ] ||
    { [ "$major" -eq "$node_min_major" ] && [ "${minor:-0}" -ge "$node_min_minor" ]; }
}
# The version `apt-get install nodejs` would bring, or nothing.
apt_nodejs_candidate() {
  command -v apt-cache >/dev/null 2>&1 || return 0
  apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }'
}
node_help() {
  cat >&2 <<MSG
setup: Node.js $node_min or newer is needed to build the UI (Vite); $1.
Nothing has been installed. Install a current Node.js, then run this again — either
  from NodeSource (system-wide, Debian/Ubuntu):
    curl -fsSL https://deb.nodesource.com/setup_22.x | ${SUDO:+sudo -E }bash -
    ${SUDO:+sudo }apt-get install -y nodejs
  or with nvm (in your home folder, no root):
    curl -fsSL https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.3/install.sh | bash
    . ~/.nvm/nvm.sh && nvm install 22
MSG
  exit 1
}

need_node=""
if command -v node >/dev/null 2>&1; then
  found="$(node --version)"
  new_enough "$found" || node_help "found $found at $(command -v node)"
else
  candidate="$(apt_nodejs_candidate)"
  if [ -z "$candidate" ] && command -v apt-get >/dev/null 2>&1; then
    # A fresh system may not have read the package lists yet.
    say "Reading the package lists to see which Node.js this system offers"
    $SUDO apt-get update -qq
    candidate="$(apt_nodejs_candidate)"
  fi
  if [ -n "$candidate" ] && new_enough "$candidate"; then
    need_node="$candidate"
  else
    node_help "Node.js is not installed, and this system's package is ${candidate:-not available}"
  fi
fi

command -v cargo >/dev/null 2>&1 || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again"

packages=(build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth x11-utils dbus dbus-x11
  # OCR of scanned PDFs and images: Tesseract with English and French, pages rendered by poppler.
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra poppler-utils)
if [ "$purpose" = "test" ]; then
  # libreoffice-writer and poppler-utils: the export tests open DOCX and PDF in real readers;
  # qpdf makes the password-protected PDF the import tests refuse.
  # chromium and chromium-driver: the browser extension's end-to-end test (tests/browser.rs).
  packages+=(webkit2gtk-driver imagemagick libreoffice-writer qpdf chromium chromium-driver)
  # postgresql: the team-workspace tests (crates/dossier-sync) run initdb/pg_ctl from
  # /usr/lib/postgresql/*/bin in a temp dir of their own; the system's cluster is never used.
  packages+=(postgresql)
fi
if [ -n "$need_node" ]; then
  say "Node.js is missing; this system's package is $need_node, new enough"
  packages+=(nodejs)
  # Debian's nodejs comes without npm; NodeSource's includes it (and conflicts with Debian's npm).
  case "$need_node" in *nodesource*) ;; *) packages+=(npm) ;; esac
elif ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install ${missing[*]} with your package manager"
  say "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  die "node and npm are still not on PATH after installing nodejs: install Node.js $node_min or newer"
new_enough "$(node --version)" || die "Node.js $node_min or newer is needed (found $(node --version))"

# npm packages: reinstall only when the lock file changed since the last install.
if [ ! -f "$root/ui/node_modules/.package-lock.json" ] ||
   [ "$root/ui/package-lock.json" -nt "$root/ui/node_modules/.package-lock.json" ]; then
  say "Installing UI packages (npm ci)"
  (cd "$root/ui" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$purpose" = "test" ] && ! command -v tauri-driver >/dev/null 2>&1; then
  say "Installing tauri-driver (WebDriver bridge for the desktop tests)"
  cargo install tauri-driver --locked --version 2.1.0 --quiet
fi

if [ "$purpose" = "test" ] && ! command -v cargo-deny >/dev/null 2>&1; then
  say "Installing cargo-deny (licence, duplicate and source checks of the dependencies; a few minutes)"
  cargo install cargo-deny --locked --quiet
fi
