#!/usr/bin/env bash
# Installs what Dossier needs to build (and, with `test`, to test) on Debian or Ubuntu, and only
# what is missing: a second run does nothing but check. Uses sudo when not run as root.
#
#   scripts/setup.sh run    # build and run the app
#   scripts/setup.sh test   # … plus the tools the tests drive (Xvfb, WebKitWebDriver, tauri-driver)
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

packages=(build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth x11-utils dbus dbus-x11)
if [ "$purpose" = "test" ]; then
  # libreoffice-writer and poppler-utils: the export tests open DOCX and PDF in real readers.
  packages+=(webkit2gtk-driver imagemagick libreoffice-writer poppler-utils)
fi
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

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

command -v cargo >/dev/null 2>&1 || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (found $(node --version))"

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
