/** docs/audit.md carries the current rules, waivers and expectations tables. */
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedSection, rulesMarkdown } from "../../audit/docs";
import { PROJECT_ROOT } from "../helpers/synth";

test("the generated tables in docs/audit.md are current (regenerate: npx tsx scripts/audit.ts --docs)", () => {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, "docs/audit.md"), "utf8");
  expect(generatedSection(text)).toBe(rulesMarkdown().trim());
});
