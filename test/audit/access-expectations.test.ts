/**
 * Access expectations are evaluated, not string-matched: on the compliant
 * fixture world every expectation holds; a policy that breaks one turns it
 * into a failure; a role that does not exist is "not applicable".
 */
import { ACCESS_EXPECTATIONS, checkExpectations } from "../../audit/access-expectations";
import { createContext } from "../../audit/terraform";
import type { AuditStacks } from "../../audit/types";
import { DASHBOARD_POLICY, FIXTURE_ENV, GATEWAY_POLICY, KARPENTER_POLICY, goodWorld } from "./fixture-world";

const statusOf = async (world: AuditStacks, id: string) => {
  const results = await checkExpectations(createContext(FIXTURE_ENV, world));
  return results.find((r) => r.expectation.id === id)!;
};
const withPolicy = (name: string, doc: object) => {
  const world = goodWorld();
  world.aws!.resource!.aws_iam_policy[name].policy = JSON.stringify(doc);
  return world;
};
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

test("every expectation holds on the compliant world", async () => {
  const results = await checkExpectations(createContext(FIXTURE_ENV, goodWorld()));
  expect(results.filter((r) => r.status !== "passed").map((r) => `${r.expectation.id}: ${r.status} ${r.detail}`)).toEqual([]);
  expect(results).toHaveLength(ACCESS_EXPECTATIONS.length);
});

test("a role that does not exist is not applicable, never passed", async () => {
  const world = goodWorld();
  delete world.aws!.resource!.aws_iam_role.dashboard;
  for (const id of ["ACC-08", "ACC-09"]) expect((await statusOf(world, id)).status).toBe("not-applicable");
});

test("the gateway loses the snapshot prefix → ACC-01 fails", async () => {
  const doc = clone(GATEWAY_POLICY);
  doc.Statement[0].Resource = (doc.Statement[0].Resource as string[]).filter((r) => !r.includes("snapshots"));
  expect((await statusOf(withPolicy("gateway_data", doc), "ACC-01")).status).toBe("failed");
});

test("the gateway writes to every bucket → ACC-05 fails", async () => {
  const doc = clone(GATEWAY_POLICY);
  doc.Statement[0].Resource = ["arn:aws:s3:::*/*"];
  expect((await statusOf(withPolicy("gateway_data", doc), "ACC-05")).status).toBe("failed");
});

test("the gateway can change IAM → ACC-07 fails", async () => {
  const doc = clone(GATEWAY_POLICY);
  doc.Statement.push({ Sid: "Oops", Effect: "Allow", Action: "iam:PutRolePolicy" as any, Resource: "arn:aws:iam::123456789012:role/x" as any });
  expect((await statusOf(withPolicy("gateway_data", doc), "ACC-07")).status).toBe("failed");
});

test("the dashboard gets ce:* → ACC-08 fails (it holds cost-category writes)", async () => {
  const doc = clone(DASHBOARD_POLICY);
  doc.Statement[0].Action = ["ce:*"];
  const result = await statusOf(withPolicy("dashboard_cost", doc), "ACC-08");
  expect(result.status).toBe("failed");
  expect(result.detail).toMatch(/ce:Create|ce:Update|ce:Delete/);
});

test("Karpenter deletion without the cluster-tag condition → ACC-10 fails", async () => {
  const doc = clone(KARPENTER_POLICY);
  delete (doc.Statement.find((s) => s.Sid === "AllowScopedDeletion") as any).Condition;
  expect((await statusOf(withPolicy("karpenter_controller", doc), "ACC-10")).status).toBe("failed");
});

test("Karpenter with the nodepool tag but another cluster's tag cannot terminate", async () => {
  const doc = clone(KARPENTER_POLICY);
  const deletion = doc.Statement.find((s) => s.Sid === "AllowScopedDeletion") as any;
  deletion.Condition.StringEquals = { "aws:ResourceTag/kubernetes.io/cluster/someone-else": "owned" };
  expect((await statusOf(withPolicy("karpenter_controller", doc), "ACC-11")).status).toBe("failed");
});

test("Karpenter PassRole on every role → ACC-12 fails", async () => {
  const doc = clone(KARPENTER_POLICY);
  (doc.Statement.find((s) => s.Sid === "AllowPassingInstanceRole") as any).Resource = "arn:aws:iam::123456789012:role/*";
  expect((await statusOf(withPolicy("karpenter_controller", doc), "ACC-12")).status).toBe("failed");
});

describe("the gateway's full data contract", () => {
  const objects = (doc: any) => doc.Statement.find((s: any) => s.Sid === "Objects");
  const key = (doc: any) => doc.Statement.find((s: any) => s.Sid === "Key");

  test.each(["latest", "shards", "checkpoints", "blobs", "vm-backups"])("the gateway loses %s/ → ACC-16 fails and names it", async (prefix) => {
    const doc = clone(GATEWAY_POLICY);
    objects(doc).Resource = objects(doc).Resource.filter((r: string) => !r.endsWith(`/${prefix}/*`));
    const result = await statusOf(withPolicy("gateway_data", doc), "ACC-16");
    expect(result.status).toBe("failed");
    expect(result.detail).toContain(`/${prefix}/x`);
  });

  test("the gateway may only list under snapshots/ → ACC-17 fails", async () => {
    const doc = clone(GATEWAY_POLICY);
    (doc.Statement.find((s: any) => s.Sid === "List") as any).Condition = { StringLike: { "s3:prefix": ["snapshots/*"] } };
    expect((await statusOf(withPolicy("gateway_data", doc), "ACC-17")).status).toBe("failed");
  });

  test("objects anywhere in the bucket → ACC-18 and ACC-19 fail", async () => {
    const doc = clone(GATEWAY_POLICY);
    objects(doc).Resource = ["${aws_s3_bucket.data_bucket.arn}/*"];
    const world = withPolicy("gateway_data", doc);
    expect((await statusOf(world, "ACC-18")).status).toBe("failed");
    expect((await statusOf(world, "ACC-19")).status).toBe("failed");
  });

  test("no Cost Explorer read → ACC-20 fails; ce:* → ACC-21 fails", async () => {
    const without = clone(GATEWAY_POLICY);
    without.Statement = without.Statement.filter((s: any) => s.Sid !== "CostExplorerRead");
    expect((await statusOf(withPolicy("gateway_data", without), "ACC-20")).status).toBe("failed");
    const all = clone(GATEWAY_POLICY);
    (all.Statement.find((s: any) => s.Sid === "CostExplorerRead") as any).Action = "ce:*";
    expect((await statusOf(withPolicy("gateway_data", all), "ACC-21")).status).toBe("failed");
  });

  test("the bucket key without kms:ViaService → ACC-22 fails; with it, S3's requests still pass ACC-04", async () => {
    const doc = clone(GATEWAY_POLICY);
    delete key(doc).Condition;
    expect((await statusOf(withPolicy("gateway_data", doc), "ACC-22")).status).toBe("failed");
    expect((await statusOf(goodWorld(), "ACC-22")).status).toBe("passed");
    expect((await statusOf(goodWorld(), "ACC-04")).status).toBe("passed");
    const otherService = clone(GATEWAY_POLICY);
    key(otherService).Condition = { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } };
    expect((await statusOf(withPolicy("gateway_data", otherService), "ACC-04")).status).toBe("failed");
  });
});
