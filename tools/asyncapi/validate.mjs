// Reads an AsyncAPI document with the AsyncAPI Initiative's parser and prints every diagnostic
// (error, warning, information, hint) as one JSON line; exits 1 if there is any error or warning.
// Usage: node tools/asyncapi/validate.mjs contracts/published/asyncapi.yaml
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "information", "hint"];
const path = process.argv[2];
const { diagnostics } = await new Parser().parse(readFileSync(path, "utf8"), { source: path });
let failed = 0;
for (const d of diagnostics) {
  const severity = SEVERITY[d.severity] ?? String(d.severity);
  if (d.severity <= 1) failed += 1;
  console.log(JSON.stringify({ severity, code: d.code, path: d.path.join("/"), message: d.message }));
}
process.exit(failed ? 1 : 0);
