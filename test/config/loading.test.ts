/**
 * How environment and values files are found and read from disk: file names,
 * the size limit, missing and orphaned values files, and state keys compared
 * across environments (also when LAYER_ENV selects one).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments } from "../../config/load";
import { MAX_CONFIG_FILE_BYTES, keyPathAtLine, parseYamlFile } from "../../config/yaml-file";
import { MINIMAL_ENVIRONMENT } from "../helpers/synth";
import { errorOf } from "../helpers/config-error";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "layer-loading-"));
  fs.mkdirSync(path.join(root, "environments"));
  fs.mkdirSync(path.join(root, "helm-values"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function plant(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(root, file), text);
}

describe("values files", () => {
  test("an empty values file takes every chart default", () => {
    plant({ "environments/dev.yaml": MINIMAL_ENVIRONMENT, "helm-values/dev.yaml": "# defaults\n" });
    expect(loadEnvironments(root).map((e) => e.name)).toEqual(["dev"]);
  });

  test("a missing one is refused naming the file to create, unless the release is off", () => {
    plant({ "environments/dev.yaml": MINIMAL_ENVIRONMENT });
    expect(errorOf(() => loadEnvironments(root)).message).toBe(
      "helm-values/dev.yaml: found no file; expected helm-values/dev.yaml with the release's chart values (an empty file takes every chart default), or release.enabled: false in environments/dev.yaml",
    );
    plant({ "environments/dev.yaml": `${MINIMAL_ENVIRONMENT}  enabled: false\n` });
    expect(loadEnvironments(root)[0].release.enabled).toBe(false);
  });

  test("one with no environment file is refused (a typo in either name)", () => {
    plant({ "environments/dev.yaml": MINIMAL_ENVIRONMENT, "helm-values/dev.yaml": "", "helm-values/dve.yaml": "" });
    expect(errorOf(() => loadEnvironments(root)).message).toContain(
      'helm-values/dve.yaml: found a values file for "dve", which has no environment file; expected environments/dve.yaml beside it',
    );
    // Selecting one environment does not judge the others' files.
    expect(loadEnvironments(root, "dev")).toHaveLength(1);
  });

  test("one over the size limit is refused before it is parsed", () => {
    plant({ "environments/dev.yaml": MINIMAL_ENVIRONMENT, "helm-values/dev.yaml": `# ${"x".repeat(MAX_CONFIG_FILE_BYTES)}\n` });
    expect(errorOf(() => loadEnvironments(root)).message).toBe(
      "helm-values/dev.yaml: found a file of 257 KiB; expected at most 256 KiB: environment and values files are hand-written settings",
    );
  });

  test("a file just under the limit is read", () => {
    const comment = `# ${"x".repeat(MAX_CONFIG_FILE_BYTES - 4 - MINIMAL_ENVIRONMENT.length)}\n`;
    plant({ "environments/dev.yaml": `${comment}${MINIMAL_ENVIRONMENT}`, "helm-values/dev.yaml": "" });
    expect(fs.statSync(path.join(root, "environments/dev.yaml")).size).toBeLessThanOrEqual(MAX_CONFIG_FILE_BYTES);
    expect(loadEnvironments(root)).toHaveLength(1);
  });
});

describe("file names", () => {
  test("a project without an environments folder gets a message, not a stack trace", () => {
    fs.rmSync(path.join(root, "environments"), { recursive: true });
    expect(errorOf(() => loadEnvironments(root)).message).toBe(
      "environments/: found no environments folder; expected environments/<name>.yaml, one file per environment (see README.md)",
    );
  });

  test("an environment spelt .yml is refused, also when it is the one selected", () => {
    plant({ "environments/dev.yml": MINIMAL_ENVIRONMENT, "helm-values/dev.yaml": "" });
    const expected =
      "environments/dev.yml: found a file named dev.yml; expected the .yaml extension: rename it to environments/dev.yaml (only .yaml files are read)";
    expect(errorOf(() => loadEnvironments(root)).message).toBe(expected);
    expect(errorOf(() => loadEnvironments(root, "dev")).message).toBe(expected);
  });

  test("dev.yaml beside dev.YML is refused rather than read twice", () => {
    plant({ "environments/dev.yaml": MINIMAL_ENVIRONMENT, "environments/dev.YML": MINIMAL_ENVIRONMENT, "helm-values/dev.yaml": "" });
    expect(errorOf(() => loadEnvironments(root)).message).toContain("environments/dev.YML: found a file named dev.YML");
  });
});

describe("state keys across environments", () => {
  const withKey = (key: string) => `${MINIMAL_ENVIRONMENT}backend:\n  s3:\n    bucket: acme-state\n    key: ${key}\n`;

  test("templates that give every stack its own key pass", () => {
    plant({
      "environments/a.yaml": withKey("s/{stack}.tfstate"),
      "environments/b.yaml": withKey("s/{stack}.tfstate"),
      "helm-values/a.yaml": "",
      "helm-values/b.yaml": "",
    });
    expect(loadEnvironments(root)).toHaveLength(2);
  });

  test("two environments whose stacks resolve to one key are both refused, each naming the other file", () => {
    plant({
      "environments/blue.yaml": withKey("s/{stack}-aws.tfstate"),
      "environments/blue-aws.yaml": withKey("s/{stack}.tfstate"),
      "helm-values/blue.yaml": "",
      "helm-values/blue-aws.yaml": "",
    });
    const message = errorOf(() => loadEnvironments(root)).message;
    expect(message).toContain(
      "environments/blue.yaml: backend.s3.key: found a state key shared by two stacks: layer-blue-aws and layer-blue-aws-aws (environments/blue-aws.yaml)",
    );
    expect(message).toContain(
      "environments/blue-aws.yaml: backend.s3.key: found a state key shared by two stacks: layer-blue-aws-aws and layer-blue-aws (environments/blue.yaml)",
    );
    // LAYER_ENV=blue alone still compares with blue-aws.
    expect(errorOf(() => loadEnvironments(root, "blue")).message).toContain(
      "(environments/blue-aws.yaml) both at s3://acme-state/s/layer-blue-aws-aws.tfstate",
    );
  });

  test("different buckets never clash", () => {
    plant({
      "environments/blue.yaml": withKey("s/{stack}-aws.tfstate"),
      "environments/blue-aws.yaml": withKey("s/{stack}.tfstate").replace("acme-state", "other-state"),
      "helm-values/blue.yaml": "",
      "helm-values/blue-aws.yaml": "",
    });
    expect(loadEnvironments(root)).toHaveLength(2);
  });
});

describe("messages", () => {
  test("a file with thousands of problems prints the first 20 and a count, not every one", () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `unknown${i}: 1`).join("\n");
    plant({ "environments/dev.yaml": `${MINIMAL_ENVIRONMENT}${keys}\n`, "helm-values/dev.yaml": "" });
    const error = errorOf(() => loadEnvironments(root));
    expect(error.problems).toHaveLength(3000);
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(/^environments\/dev.yaml: unknown0: found an unknown key "unknown0"/);
    expect(lines[20]).toBe("environments/dev.yaml: ... and 2980 more problems like these");
  });
});

describe("YAML", () => {
  test("the setting a line belongs to, from indentation", () => {
    const text = "a: 1\ncluster:\n  systemNodeGroup:\n    minSize: 1\n  logTypes: [api]\nb: 2\n";
    expect([1, 2, 3, 4, 5, 6].map((line) => keyPathAtLine(text, line))).toEqual([
      "a",
      "cluster",
      "cluster.systemNodeGroup",
      "cluster.systemNodeGroup.minSize",
      "cluster.logTypes",
      "b",
    ]);
  });

  test.each([
    ["an unclosed quote", 'accountId: "123456789012\nregion: us-east-1\n', "accountId"],
    ["an unclosed quote in a section", 'tags:\n  team: "search\n  owner: me\n', "tags.team"],
    ["an unclosed list before the next setting", "cluster:\n  publicAccessCidrs: [10.0.0.0/8\n  logTypes: [api]\n", "cluster.publicAccessCidrs"],
    ["a misaligned key", "cluster:\n  systemNodeGroup:\n    minSize: 1\n   maxSize: 2\n", "cluster.systemNodeGroup.maxSize"],
    ["a tab as indentation", "cluster:\n  name: a\n\tlogTypes: [api]\n", "cluster.logTypes"],
    ["an apostrophe in a plain value does not open a quote", "tags:\n  note: it's fine\n  x: [1, 2\n", "tags.x"],
    [
      "an unclosed list in the second list item",
      "vectorStore:\n  inboundAuth:\n    keys:\n      - name: a\n        scopes: [admin]\n      - name: b\n        scopes: [read\n    mode: keys\n",
      "vectorStore.inboundAuth.keys[1].scopes",
    ],
    ["a list at its parent's column", "keys:\n- name: a\n- name: b\n  scopes: [read\nother: 1\n", "keys[1].scopes"],
  ])("a syntax error names the setting where the mistake is: %s", (_label, text, setting) => {
    expect(errorOf(() => parseYamlFile(text, "environments/x.yaml")).problems.map((p) => p.path)).toEqual([setting]);
  });

  test("a syntax error is one problem, however many the parser reports after it", () => {
    const error = errorOf(() => parseYamlFile("a: [1\nb: {2\nc: 'x\n", "environments/x.yaml"));
    expect(error.problems).toHaveLength(1);
    expect(error.message).not.toMatch(/column \d+:;/);
  });

  test("thousands of aliases are refused by count, before any is resolved (resolving each walks the file)", () => {
    const text = `a: &a x\nb: [${Array(20000).fill("*a").join(", ")}]\n`;
    const started = Date.now();
    expect(errorOf(() => parseYamlFile(text, "environments/x.yaml")).message).toBe(
      "environments/x.yaml: found 20000 YAML aliases (*name); expected at most 100: settings written out rather than repeated through anchors",
    );
    expect(Date.now() - started).toBeLessThan(10000);
  });

  test("brackets nested past 32 levels are refused before the parser recurses into them; 32 parse", () => {
    const nested = (n: number) => `a: 1\nb: ${"[".repeat(n)}${"]".repeat(n)}\n`;
    expect(errorOf(() => parseYamlFile(nested(100000), "environments/x.yaml")).message).toBe(
      "environments/x.yaml: b: found brackets nested 100000 levels deep at line 2; expected at most 32 levels of [ ] and { }",
    );
    expect(errorOf(() => parseYamlFile(nested(33), "environments/x.yaml")).problems[0].path).toBe("b");
    expect(parseYamlFile(nested(32), "environments/x.yaml")).toHaveProperty("b");
    // Brackets inside a quoted string are text.
    expect(parseYamlFile(`a: "${"[".repeat(40)}"\n`, "environments/x.yaml")).toEqual({ a: "[".repeat(40) });
  });

  test("an alias within the limit is resolved as usual", () => {
    expect(parseYamlFile("base: &base {a: 1}\nother: *base\n", "helm-values/x.yaml")).toEqual({ base: { a: 1 }, other: { a: 1 } });
  });
});
