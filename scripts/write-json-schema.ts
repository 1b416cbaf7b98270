/**
 * Writes environments/schema.json and helm-values/schema.json from the zod
 * schemas so editors validate and autocomplete environment and values files (each references it in a
 * `yaml-language-server` comment). A test fails when the file is stale.
 *   npm run schema
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentJsonSchema, valuesJsonSchema } from "../config/json-schema";

for (const [dir, schema] of [
  ["environments", environmentJsonSchema()],
  ["helm-values", valuesJsonSchema()],
] as const) {
  const target = path.join(__dirname, "..", dir, "schema.json");
  fs.writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
