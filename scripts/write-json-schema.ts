/**
 * Writes environments/schema.json from the zod schema so editors validate and
 * autocomplete environment files (each references it in a
 * `yaml-language-server` comment). A test fails when the file is stale.
 *   npm run schema
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentJsonSchema } from "../config/json-schema";

const target = path.join(__dirname, "..", "environments", "schema.json");
fs.writeFileSync(target, `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
