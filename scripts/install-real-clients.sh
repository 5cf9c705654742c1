#!/usr/bin/env bash
# Installs the real coding CLIs the acceptance tests drive (test/real-clients/**), pinned, into a
# cache folder outside the repo tree (never package.json): Claude Code, Codex CLI and Gemini CLI.
# Outside the tree so vitest and tsc never see the packages' own sources.
#   bash scripts/install-real-clients.sh
# Folder: $SWITCHYARD_REAL_CLIENTS_DIR, else ${XDG_CACHE_HOME:-~/.cache}/switchyard/real-clients
# (test/real-clients/clients.ts looks in the same place).
# Idempotent: a CLI whose pinned version is already there is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${SWITCHYARD_REAL_CLIENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/switchyard/real-clients}"
mkdir -p "$dir"

# name@version  folder  binary (relative to the folder)
clients=(
  "@anthropic-ai/claude-code@2.1.330 claude node_modules/@anthropic-ai/claude-code/bin/claude.exe"
  "@openai/codex@0.169.0 codex node_modules/@openai/codex/bin/codex.js"
  "@google/gemini-cli@0.61.0 gemini node_modules/@google/gemini-cli/bundle/gemini.js"
)

for entry in "${clients[@]}"; do
  read -r spec folder bin <<<"$entry"
  target="$dir/$folder"
  if [ -f "$target/.installed" ] && [ "$(cat "$target/.installed")" = "$spec" ] && [ -e "$target/$bin" ]; then
    echo "ok   $spec"
    continue
  fi
  echo "get  $spec -> $target"
  rm -rf "$target"
  mkdir -p "$target"
  echo '{"name":"switchyard-real-client","private":true}' >"$target/package.json"
  # --ignore-scripts: no lifecycle scripts run at install; Claude Code's own installer is run below.
  # Optional dependencies carry the native binaries (Claude Code, Codex) and must be kept.
  npm install --prefix "$target" --no-audit --no-fund --no-save --ignore-scripts --include=optional --loglevel=error "$spec"
  if [ "$folder" = claude ]; then
    # The wrapper's postinstall copies the platform's native binary over bin/claude.exe.
    (cd "$target/node_modules/@anthropic-ai/claude-code" && node install.cjs)
  fi
  [ -e "$target/$bin" ] || { echo "missing $target/$bin after install" >&2; exit 1; }
  echo "$spec" >"$target/.installed"
done
echo "real clients in $dir"
