// The gavel extension: starts `gavel lsp` for Python and Rust files (and gavel's TOML policy
// files), shows its state in the status bar, and adds the gavel commands.

import * as path from "node:path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

import { findBinary, isFound, expand } from "./binary";
import { type GavelStatus, StatusBar } from "./status";

const ID = "gavel";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let statusBar: StatusBar;
let extensionPath = "";
/** Serialises starts, stops and restarts. */
let transition: Promise<void> = Promise.resolve();

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(ID);
}

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file")?.uri.fsPath;
}

/** The initializationOptions: the explicit gavel.toml when gavel.config is set, and whether to
 * offer the suppress action. */
function initializationOptions(): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const config = settings().get<string>("config", "").trim();
  if (config !== "") {
    const folder = firstFolder();
    options.config = path.resolve(folder ?? process.cwd(), expand(config, folder));
  }
  if (!settings().get<boolean>("codeAction.suppress", true)) {
    options.suppressAction = false;
  }
  return options;
}

async function notifyMissing(tried: string[], badSetting: string | undefined): Promise<void> {
  const message = badSetting
    ? `gavel: the gavel.path setting points to ${badSetting}, which is not an executable file. Fix the setting, or clear it to use gavel from PATH.`
    : "gavel: cannot find the gavel binary. Install it with `cargo install --locked --path crates/gavel-cli` (from the gavel repository) so that `gavel` is on PATH, or set gavel.path to the binary.";
  output.error(`${message} Looked at: ${tried.join(", ")}`);
  const choice = await vscode.window.showErrorMessage(message, "Open Settings", "Show Output");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "gavel.path");
  } else if (choice === "Show Output") {
    output.show();
  }
}

async function start(): Promise<void> {
  if (!settings().get<boolean>("enable", true)) {
    statusBar.stopped("disabled by the gavel.enable setting");
    output.info("gavel.enable is false: the server is not started");
    return;
  }
  const folder = firstFolder();
  const folders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === "file")
    .map((f) => f.uri.fsPath);
  const found = findBinary(settings().get<string>("path", ""), extensionPath, folder, folders);
  if (!isFound(found)) {
    statusBar.missing();
    // One notification, not awaited: the user may leave it open.
    void notifyMissing(found.tried, found.badSetting);
    return;
  }
  output.info(`starting ${found.path} lsp (from ${found.source})${vscode.workspace.isTrusted ? "" : " in Restricted Mode"}`);
  statusBar.starting();

  const serverOptions: ServerOptions = {
    command: found.path,
    // No `transport`: TransportKind.stdio would append --stdio; gavel lsp always speaks stdio.
    args: ["lsp"],
    options: { cwd: folder, env: { ...process.env } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "file", language: "rust" },
      { scheme: "untitled", language: "python" },
      { scheme: "untitled", language: "rust" },
      // gavel.toml and policy packs: the server reports their errors and reloads on save.
      { scheme: "file", pattern: "**/*.toml" },
    ],
    initializationOptions: initializationOptions(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    diagnosticCollectionName: ID,
    middleware: {
      // With pulled diagnostics an open document's findings come from the pull. gavel pushes a
      // policy file's errors while it is closed; drop that copy when it opens, or Problems would
      // list each error twice.
      didOpen: async (document, next) => {
        await next(document);
        if (c.initializeResult?.capabilities.diagnosticProvider) {
          c.diagnostics?.delete(document.uri);
        }
      },
    },
  };
  const c: LanguageClient = new LanguageClient(ID, "gavel", serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c) {
      statusBar.stopped("the server stopped; run \"gavel: Restart server\"");
    }
  });
  client = c;
  try {
    await c.start();
  } catch (e) {
    output.error(`the gavel server failed to start: ${String(e)}`);
    statusBar.stopped("the server failed to start; see the output");
    void vscode.window.showErrorMessage(`gavel: the server failed to start: ${String(e)}`, "Show Output").then((choice) => {
      if (choice) {
        output.show();
      }
    });
    return;
  }
  c.onNotification("gavel/status", (status: GavelStatus) => {
    output.info(`status: ${status.state}, ${status.rules} rules${status.errors.length ? `, ${status.errors.length} policy error(s)` : ""}`);
    statusBar.update(status);
  });
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop(5000);
    } catch (e) {
      output.warn(`stopping the server: ${String(e)}`);
    }
  }
}

function enqueue(work: () => Promise<void>): Promise<void> {
  transition = transition.then(work, work);
  return transition;
}

function restart(): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start();
  });
}

async function serverCommand(command: string): Promise<void> {
  const c = client;
  if (!c || !c.isRunning()) {
    const choice = await vscode.window.showWarningMessage("gavel: the server is not running.", "Restart server", "Show Output");
    if (choice === "Restart server") {
      await restart();
    } else if (choice === "Show Output") {
      output.show();
    }
    return;
  }
  await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: [] });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel("gavel", { log: true });
  statusBar = new StatusBar();
  context.subscriptions.push(
    output,
    statusBar,
    vscode.commands.registerCommand("gavel.reload", () => serverCommand("gavel.reloadPolicies")),
    vscode.commands.registerCommand("gavel.scan", () => serverCommand("gavel.scanWorkspace")),
    vscode.commands.registerCommand("gavel.showOutput", () => output.show()),
    vscode.commands.registerCommand("gavel.restart", () => restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (["gavel.enable", "gavel.path", "gavel.config"].some((s) => e.affectsConfiguration(s))) {
        output.info("settings changed: restarting the server");
        void restart();
      }
    }),
    // Trusting the workspace makes its gavel.path and gavel.config apply.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info("workspace trusted: restarting with the workspace's settings");
      void restart();
    }),
  );
  await enqueue(start);
}

export function deactivate(): Promise<void> | undefined {
  return enqueue(stop);
}
