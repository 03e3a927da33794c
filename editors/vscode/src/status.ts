// The status bar item: starting, the number of active rules, a policy error (click to open the
// broken file at the error), or a missing binary.

import * as vscode from "vscode";

/** The params of the server's `gavel/status` notification. */
export interface GavelStatus {
  state: "ok" | "error";
  rules: number;
  errors: { file: string; line: number; column: number; message: string }[];
}

export const OPEN_POLICY_ERROR = "gavel.openPolicyError";

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private lastError: GavelStatus["errors"][number] | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem("gavel.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "gavel";
    this.disposables.push(
      this.item,
      vscode.commands.registerCommand(OPEN_POLICY_ERROR, () => this.openError()),
    );
  }

  starting(): void {
    this.set("$(sync~spin) gavel", "gavel: starting the language server", "gavel.showOutput");
  }

  stopped(reason: string): void {
    this.set("$(circle-slash) gavel", `gavel: ${reason}`, "gavel.showOutput", "warning");
  }

  missing(): void {
    this.set("$(warning) gavel: binary not found", "gavel: the gavel binary was not found; click for the output", "gavel.showOutput", "error");
  }

  update(status: GavelStatus): void {
    if (status.state === "error" && status.errors.length > 0) {
      const e = status.errors[0];
      this.lastError = e;
      const more = status.errors.length > 1 ? ` (+${status.errors.length - 1} more)` : "";
      const md = new vscode.MarkdownString(
        `**gavel: policy error**${more}\n\n\`${e.file}:${e.line}:${e.column}\`\n\n${e.message}\n\nThe last good policies stay active. Click to open the file.`,
      );
      this.set("$(error) gavel: policy error", md, OPEN_POLICY_ERROR, "error");
      return;
    }
    this.lastError = undefined;
    const rules = `${status.rules} rule${status.rules === 1 ? "" : "s"}`;
    this.set(`$(check) gavel: ${rules}`, `gavel: ${rules} active`, "gavel.showOutput");
  }

  private set(
    text: string,
    tooltip: string | vscode.MarkdownString,
    command: string,
    level?: "warning" | "error",
  ): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.backgroundColor = level ? new vscode.ThemeColor(`statusBarItem.${level}Background`) : undefined;
    this.item.show();
  }

  private async openError(): Promise<void> {
    const e = this.lastError;
    if (!e) {
      return;
    }
    const pos = new vscode.Position(Math.max(0, e.line - 1), Math.max(0, e.column - 1));
    await vscode.window.showTextDocument(vscode.Uri.file(e.file), {
      selection: new vscode.Range(pos, pos),
    });
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}
