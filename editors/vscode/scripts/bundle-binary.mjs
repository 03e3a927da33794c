// Copies a gavel binary into bin/ for a platform vsix (npm run package:bundled).
// GAVEL_BIN picks the binary; default: the repository's target/release/gavel.
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = process.env.GAVEL_BIN ?? path.resolve(root, "../../target/release/gavel");
if (!fs.existsSync(source)) {
  console.error(`no gavel binary at ${source}: run \`cargo build --release -p gavel-cli\` or set GAVEL_BIN`);
  process.exit(1);
}
fs.mkdirSync(path.join(root, "bin"), { recursive: true });
const target = path.join(root, "bin", "gavel");
fs.copyFileSync(source, target);
fs.chmodSync(target, 0o755);
console.log(`bundled ${source} as ${target}`);
