#!/usr/bin/env bash
# Installs what Switchyard needs on a fresh Debian/Ubuntu machine (run as root, or with sudo available).
#   bash scripts/setup.sh           build deps for the native modules + npm ci
#   bash scripts/setup.sh --tests   also Chromium, gnome-keyring, D-Bus, PostgreSQL and the real coding CLIs for the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(python3 make g++ libsecret-1-dev)
if [ "${1:-}" = "--tests" ]; then pkgs+=(chromium gnome-keyring dbus dbus-x11 fonts-wqy-microhei postgresql); fi

missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Electron binary is not needed to run the proxy or the tests.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Build what `npm run serve`, bin/switchyard.js and the panel at /ui/ run: the CLI/main/preload
# bundles and the renderer. The built files keep working after `npm prune --omit=dev`.
node scripts/build.mjs
node node_modules/vite/bin/vite.js build --logLevel warn

# The tests drive the real Claude Code, Codex CLI and Gemini CLI offline (pinned versions).
if [ "${1:-}" = "--tests" ]; then bash scripts/install-real-clients.sh; fi
