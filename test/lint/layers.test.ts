/**
 * The import layers of eslint.config.mjs hold: a planted import across a
 * layer boundary is reported by `eslint`, the same run `npm run lint` makes,
 * and an import the layers allow is not.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers/synth";

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

const PLANTED: Record<string, string> = {
  // Targets, so every import resolves.
  "stacks/aws-stack.ts": "export const AwsStack = 1;\n",
  "constructs/kms-key.ts": "export const KmsKey = 1;\n",
  "config/naming.ts": "export const roleName = 1;\n",
  "tfjson/stack-json.ts": "export const resources = 1;\n",
  "addons/karpenter/helm.ts": "export const KarpenterRelease = 1;\n",
  "addons/keda/defaults.ts": 'export const KEDA_DEFAULTS = { chartVersion: "2.20.2" };\n',
  // Violations.
  "config/rules.ts": 'import { AwsStack } from "../stacks/aws-stack";\nexport const rules = AwsStack;\n',
  "constructs/cluster-admin-access.ts": 'import { AwsStack } from "../stacks/aws-stack";\nexport const access = AwsStack;\n',
  "audit/synth.ts":
    'import { AwsStack } from "../stacks/aws-stack";\nimport { KmsKey } from "../constructs/kms-key";\nexport const audit = [AwsStack, KmsKey];\n',
  "tfjson/reader.ts": 'import { roleName } from "../config/naming";\nexport const reader = roleName;\n',
  // The add-on catalog is files inside addons/: the audit may read it, but not the add-on's constructs,
  // and a catalog may import only config/ and tfjson/.
  "audit/addon-constructs.ts": 'import { KarpenterRelease } from "../addons/karpenter/helm";\nexport const audit = KarpenterRelease;\n',
  // The schema reads an add-on's defaults, never its catalog; defaults import nothing.
  "config/version-rules.ts": 'import { KARPENTER_CATALOG } from "../addons/karpenter/catalog";\nexport const rules = KARPENTER_CATALOG;\n',
  "addons/karpenter/defaults.ts": 'import { roleName } from "../../config/naming";\nexport const KARPENTER_DEFAULTS = roleName;\n',
  "addons/karpenter/catalog.ts":
    'import { roleName } from "../../config/naming";\nimport { KmsKey } from "../../constructs/kms-key";\nexport const KARPENTER_CATALOG = [roleName, KmsKey];\n',
  // Allowed.
  "stacks/helm-stack.ts":
    'import { roleName } from "../config/naming";\nimport { KmsKey } from "../constructs/kms-key";\nexport const helm = [roleName, KmsKey];\n',
  "audit/project.ts":
    'import { roleName } from "../config/naming";\nimport { resources } from "../tfjson/stack-json";\nexport const project = [roleName, resources];\n',
  "review/run.ts": 'import { AwsStack } from "../stacks/aws-stack";\nexport const review = AwsStack;\n',
  "config/schema.ts": 'import { KEDA_DEFAULTS } from "../addons/keda/defaults";\nexport const schema = KEDA_DEFAULTS;\n',
  "audit/addon-catalog.ts": 'import { KARPENTER_CATALOG } from "../addons/karpenter/catalog";\nexport const catalog = KARPENTER_CATALOG;\n',
  "addons/catalog.ts": 'import { KARPENTER_CATALOG } from "./karpenter/catalog";\nexport const ADDON_CATALOG = [KARPENTER_CATALOG];\n',
};

let results: Map<string, LintMessage[]>;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-lint-"));
  try {
    fs.copyFileSync(path.join(PROJECT_ROOT, "eslint.config.mjs"), path.join(dir, "eslint.config.mjs"));
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
    for (const [file, text] of Object.entries(PLANTED)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules/eslint/bin/eslint.js"), "--format", "json", "."], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60000,
    });
    if (!run.stdout) throw new Error(`eslint produced no report (exit ${run.status}): ${run.stderr}`);
    const report = JSON.parse(run.stdout) as Array<{ filePath: string; messages: LintMessage[] }>;
    results = new Map(report.map((r) => [path.relative(fs.realpathSync(dir), fs.realpathSync(r.filePath)), r.messages]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const layerErrors = (file: string) => (results.get(file) ?? []).filter((m) => m.ruleId === "boundaries/dependencies").map((m) => m.message);

test.each([
  ["config/rules.ts", 1, "config/ may import only config, tfjson, addon-defaults"],
  ["constructs/cluster-admin-access.ts", 1, "constructs/ may import only"],
  ["audit/synth.ts", 2, "audit/ may import only audit, config, addon-defaults, tfjson, addon-catalog"],
  ["tfjson/reader.ts", 1, "tfjson/ may import only tfjson"],
  ["audit/addon-constructs.ts", 1, "audit/ may import only audit, config, addon-defaults, tfjson, addon-catalog"],
  ["addons/karpenter/catalog.ts", 1, "addon-catalog may import only addon-catalog, config, tfjson, addon-defaults"],
  ["config/version-rules.ts", 1, "config/ may import only config, tfjson, addon-defaults"],
  ["addons/karpenter/defaults.ts", 1, "addon-defaults may import only addon-defaults"],
])("%s: an import across a layer is reported", (file, count, message) => {
  expect(results.has(file)).toBe(true);
  expect(layerErrors(file)).toHaveLength(count);
  for (const m of layerErrors(file)) expect(m).toContain(message);
});

test.each(["stacks/helm-stack.ts", "audit/project.ts", "review/run.ts", "audit/addon-catalog.ts", "addons/catalog.ts", "config/schema.ts"])(
  "%s: an import the layers allow passes",
  (file) => {
    expect(results.has(file)).toBe(true);
    expect(results.get(file)).toEqual([]);
  },
);
