// The jixiao extension: starts `jixiao lsp` (diagnostics, quick fixes,
// formatting, hover, go to definition) for *.jx rule files. Plain CommonJS,
// so there is no build step: vsce packages this file as it is.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;
// Starts and stops are chained, so a settings change that arrives while the
// server is still starting cannot leave two servers running.
let pending = Promise.resolve();

/** The client for the current settings (not yet started). */
function createClient() {
  const config = vscode.workspace.getConfiguration('jixiao');
  const command = config.get('path') || 'jixiao';
  const lang = config.get('lang') || '';
  return new LanguageClient(
    'jixiao',
    'jixiao',
    // The server speaks LSP on its standard input and output.
    { command, args: ['lsp'], transport: TransportKind.stdio },
    {
      // Rule files, and projects' data files where jixiao's layout keeps them
      // (the server evaluates those against the rules beside them).
      documentSelector: [
        { scheme: 'file', language: 'jixiao' },
        { scheme: 'file', pattern: '**/{examples,data}/**/*.{toml,json}' },
      ],
      // Only said when chosen: without it the server keeps its own default.
      initializationOptions: lang ? { lang } : undefined,
    },
  );
}

async function start() {
  const next = createClient();
  try {
    await next.start();
    client = next;
  } catch (error) {
    // Most often the binary is not found: say which setting to change.
    const command = vscode.workspace.getConfiguration('jixiao').get('path') || 'jixiao';
    vscode.window.showErrorMessage(
      `jixiao: could not start \`${command} lsp\` (${error && error.message ? error.message : error}). ` +
        'Set "jixiao.path" to the jixiao binary.',
    );
    // A client that failed to start may still hold a process; let it go.
    await next.dispose().catch(() => {});
  }
}

async function stop() {
  const current = client;
  client = undefined;
  if (current) {
    await current.stop().catch(() => {});
  }
}

/** Runs `step` after every earlier start or stop has finished. */
function queue(step) {
  pending = pending.then(step, step);
  return pending;
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  context.subscriptions.push(
    // The binary and the language are read when the server starts, so a
    // change to either needs a new server.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('jixiao.path') || event.affectsConfiguration('jixiao.lang')) {
        queue(async () => {
          await stop();
          await start();
        });
      }
    }),
  );
  return queue(start);
}

function deactivate() {
  // VS Code waits for the returned promise, so the server is told to shut down.
  return queue(stop);
}

module.exports = { activate, deactivate };
