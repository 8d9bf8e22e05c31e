#!/usr/bin/env bash
# Builds the VS Code extension: editors/vscode/jixiao-0.1.0.vsix.
# Needs node and npm, and the npm registry (vscode-languageclient is bundled
# into the .vsix, vsce is the packager). CI does not run it: it is for people
# who want the extension, not part of checking jixiao.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# node_modules/ holds vscode-languageclient (shipped inside the .vsix) and vsce.
npm install --no-audit --no-fund
# vsce packages the production dependencies with the extension.
# The licence is the package.json field (MIT OR Apache-2.0, as Cargo.toml says):
# the repository has no LICENSE file to ship.
npx vsce package --skip-license --out jixiao-0.1.0.vsix

echo "Install it with: code --install-extension $(pwd)/jixiao-0.1.0.vsix"
