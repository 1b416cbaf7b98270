/**
 * The deploy role documented in docs/ci.md can make every AWS call that the
 * drain gates (synthesized into each Helm stack) and the teardown script
 * make: each CLI call is mapped to its IAM action, the action is looked up
 * in the IAM catalogue, and the documented statement is evaluated with the
 * project's own IAM evaluator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { leftoverChecks } from "../../scripts/teardown";
import { evaluate } from "../../audit/iam/evaluator";
import type { PolicyDocument } from "../../audit/iam/policy";
import { IamCatalogue } from "../../audit/iam/catalogue";
import { PROJECT_ROOT, exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

const HEADING = "#### What the drain gates and the teardown call";

/** The JSON policy that follows the heading in docs/ci.md. */
function documentedGatePolicy(doc: string): PolicyDocument {
  const at = doc.indexOf(HEADING);
  if (at < 0) throw new Error(`docs/ci.md has no "${HEADING}" section`);
  const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(at));
  if (!block) throw new Error(`no JSON policy under "${HEADING}" in docs/ci.md`);
  return JSON.parse(block[1]);
}

/** AWS CLI command names whose IAM service prefix differs. */
const IAM_PREFIX: Record<string, string> = { resourcegroupstaggingapi: "tag", elbv2: "elasticloadbalancing", ec2: "ec2", eks: "eks", sts: "sts" };

/** `aws [--global-option value…] <service> <operation> …` → `prefix:Operation`. */
export function iamActionOfCli(words: readonly string[]): string {
  const rest = words[0] === "aws" ? words.slice(1) : [...words];
  while (rest[0]?.startsWith("--")) rest.splice(0, 2);
  const [service, operation] = rest;
  const prefix = IAM_PREFIX[service];
  if (!prefix || !operation) throw new Error(`no IAM action known for the AWS CLI call "${words.join(" ")}"`);
  return `${prefix}:${operation
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("")}`;
}

/** Every AWS CLI call of the gates in the example Helm stacks and of the teardown's wait, as IAM actions. */
function gateActions(): Map<string, string> {
  const actions = new Map<string, string>();
  for (const name of exampleEnvironmentNames()) {
    const { env, helm } = synthExample(name);
    for (const [gate, body] of Object.entries(resourcesOfType(helm, "terraform_data"))) {
      for (const command of (body.input?.countCommands ?? []) as string[]) {
        actions.set(iamActionOfCli(command.split(/\s+/)), `${name}: terraform_data.${gate}`);
      }
    }
    for (const check of leftoverChecks(env)) actions.set(iamActionOfCli(["aws", ...check.args]), `${name}: teardown (${check.what})`);
  }
  return actions;
}

describe("docs/ci.md: the deploy role can run every drain gate and teardown check", () => {
  const policy = documentedGatePolicy(fs.readFileSync(path.join(PROJECT_ROOT, "docs/ci.md"), "utf8"));
  const actions = gateActions();

  test("the gates and the teardown call the expected read-only actions (the mapping sees them all)", () => {
    expect([...actions.keys()].sort()).toEqual(["ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "tag:GetResources"]);
  });

  test('each action exists and takes no resource ARN (so Resource "*" is the only way to grant it)', async () => {
    const catalogue = await IamCatalogue.load(actions.keys());
    for (const action of actions.keys()) {
      const found = catalogue.action(action);
      expect({ action, exists: Boolean(found), resourceArns: found?.resourceArns }).toEqual({ action, exists: true, resourceArns: [] });
      expect({ action, accessLevel: found!.accessLevel }).toEqual({ action, accessLevel: expect.stringMatching(/^(List|Read)$/) });
    }
  });

  test("the documented statement allows every one of them", () => {
    const denied = [...actions].filter(([action]) => evaluate([policy], { action, resource: "*" }).decision !== "allow").map(([a, where]) => `${a} (${where})`);
    expect(denied).toEqual([]);
  });

  test("a statement without tag:GetResources is caught", () => {
    const narrowed: PolicyDocument = JSON.parse(JSON.stringify(policy));
    for (const s of narrowed.Statement as any[]) s.Action = [].concat(s.Action).filter((a: string) => a !== "tag:GetResources");
    expect(evaluate([narrowed], { action: "tag:GetResources", resource: "*" }).decision).toBe("implicit-deny");
  });

  test("a CLI call with no known IAM action fails loudly", () => {
    expect(() => iamActionOfCli(["aws", "--region", "us-east-1", "elb", "describe-load-balancers"])).toThrow(/no IAM action known/);
    expect(iamActionOfCli(["aws", "--region", "r", "--output", "text", "resourcegroupstaggingapi", "get-resources"])).toBe("tag:GetResources");
  });
});
