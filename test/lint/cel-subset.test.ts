/**
 * The CEL subset used to check rendered Karpenter objects: it must parse
 * every rule in the reference CRDs (so none is skipped silently) and
 * evaluate the constructs those rules use the way CEL does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { evaluateRule, isTransitionRule, parseRule } from "../helpers/cel-subset";
import { describeWithReference } from "../helpers/reference";

describeWithReference("every CEL rule in Karpenter 1.14.1's CRDs", "karpenter-1.14.1/crds", (dir) => {
  const rules: string[] = [];
  for (const file of fs.readdirSync(dir)) {
    const crd = parse(fs.readFileSync(path.join(dir, file), "utf8"));
    const walk = (s: any) => {
      if (!s || typeof s !== "object") return;
      for (const v of s["x-kubernetes-validations"] ?? []) rules.push(v.rule);
      for (const child of Object.values(s)) walk(child);
    };
    for (const version of crd.spec.versions) walk(version.schema.openAPIV3Schema);
  }

  test("there are rules to check", () => expect(rules.length).toBeGreaterThan(40));

  test("each one parses (transition rules included)", () => {
    const failures = rules.flatMap((rule) => {
      try {
        parseRule(rule);
        return [];
      } catch (e) {
        return [`${rule}: ${(e as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
    expect(rules.some(isTransitionRule)).toBe(true);
  });
});

test.each([
  ["self.all(x, x != 'a')", ["b", "c"], true],
  ["self.all(x, x != 'a')", ["a"], false],
  ["self.exists(x, has(x.alias))", [{ alias: "al2023@latest" }], true],
  ["self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1", [{ rootVolume: true }, { rootVolume: true }], false],
  ["self.all(k, k != '' && self[k] != '')", { a: "b" }, true],
  ["self.all(k, k != '' && self[k] != '')", { a: "" }, false],
  ["'nodes' in self", { nodes: "1" }, true],
  ["self.split('@')[0] in ['al2','al2023']", "al2023@v20251117", true],
  ["self.matches('^[a-zA-Z0-9]+@.+$')", "al2023", false],
  ["!self.find('^([^/]+)').endsWith('karpenter.sh')", "layer.hev.dev/node-role", true],
  ["!self.find('^([^/]+)').endsWith('karpenter.sh')", "karpenter.sh/x", false],
  ["self.all(x, (x.operator == 'Gt') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)", [{ operator: "Gt", values: ["-1"] }], false],
  ["has(self.a) == has(self.b)", { a: 1 }, false],
])("%s on %j is %s", (rule, self, expected) => {
  expect(evaluateRule(rule, self)).toBe(expected);
});

test("syntax outside the subset throws instead of passing", () => {
  expect(() => evaluateRule("self.map(x, x)", [1])).toThrow(/unsupported method map/);
  expect(() => evaluateRule("self + 1 == 2", 1)).toThrow();
});
