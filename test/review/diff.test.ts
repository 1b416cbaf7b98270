/** The review's diff: stateful resources that a change would destroy or replace are flagged. */
import { buildReview, renderMarkdown } from "../../review/report";
import { changedPaths, diffEnvironment } from "../../review/diff";
import { exitCode } from "../../review/run";
import { DEV, devWithCluster, withResource } from "./fixtures";

const AWS = "layer-dev-aws";
const base = devWithCluster();

test("the same synth twice shows no change", () => {
  const diff = diffEnvironment(base, devWithCluster(), "base");
  expect([diff.added, diff.removed, diff.changed, diff.replacements]).toEqual([[], [], [], []]);
});

test("a stateful resource whose address changes is flagged as destroyed, naming the likely rename", () => {
  const renamed = withResource(base, AWS, "aws_s3_bucket", "data_bucket", (c) => c, "snapshots_bucket");
  const review = buildReview({ name: "dev", current: renamed, base: { label: "main", env: base } });
  expect(review.replacementCount).toBe(1);
  expect(review.diff.replacements[0]).toMatchObject({
    stack: AWS,
    address: "aws_s3_bucket.data_bucket",
    kind: "destroyed",
    possiblyRenamedTo: ["aws_s3_bucket.snapshots_bucket"],
  });
  expect(review.diff.removed).toEqual([{ stack: AWS, address: "aws_s3_bucket.data_bucket", type: "aws_s3_bucket" }]);
  expect(review.diff.added).toEqual([{ stack: AWS, address: "aws_s3_bucket.snapshots_bucket", type: "aws_s3_bucket" }]);
  expect(exitCode([review], true)).toBe(2); // npm run review -- --fail-on-replacement
  expect(exitCode([review], false)).toBe(0);
  expect(exitCode([buildReview({ name: "dev", current: base, base: { label: "main", env: base } })], true)).toBe(0);
  const md = renderMarkdown(review);
  expect(md).toContain("> [!CAUTION]");
  expect(md).toContain("**DESTROYED** `layer-dev-aws` `aws_s3_bucket.data_bucket`");
});

test.each([
  ["aws_s3_bucket", "data_bucket", "bucket", "layer-dev-data-renamed"],
  ["aws_eks_cluster", DEV.cluster, "name", "layer-dev-2"],
  ["aws_efs_file_system", "efs", "creation_token", "layer-dev-2"],
  ["aws_ecr_repository", "image_registry_gateway", "name", "layer-dev/gw"],
])("a changed force-new argument of %s.%s (%s) is flagged as a replacement", (type, name, attribute, value) => {
  const changed = withResource(base, AWS, type, name, (c) => ({ ...c, [attribute]: value }));
  const diff = diffEnvironment(base, changed, "main");
  expect(diff.changed).toEqual([{ stack: AWS, address: `${type}.${name}`, type, attributes: [attribute] }]);
  expect(diff.replacements).toEqual([expect.objectContaining({ address: `${type}.${name}`, kind: "replaced", attributes: [attribute] })]);
});

test("a nested force-new argument (cluster subnets) is a replacement; an in-place one (Kubernetes version) is not", () => {
  const subnets = withResource(base, AWS, "aws_eks_cluster", DEV.cluster, (c) => ({
    ...c,
    vpc_config: { ...c.vpc_config, subnet_ids: ["${aws_subnet.other.id}"] },
  }));
  expect(diffEnvironment(base, subnets, "main").replacements.map((r) => r.attributes)).toEqual([["vpc_config.subnet_ids"]]);
  const upgrade = withResource(base, AWS, "aws_eks_cluster", DEV.cluster, (c) => ({ ...c, version: "1.34" }));
  const diff = diffEnvironment(base, upgrade, "main");
  expect(diff.changed.map((c) => c.attributes)).toEqual([["version"]]);
  expect(diff.replacements).toEqual([]);
});

test("a moved block turns a rename into a move, not a destroy", () => {
  const renamed = withResource(base, AWS, "aws_s3_bucket", "data_bucket", (c) => c, "snapshots_bucket");
  (renamed.stacks[AWS] as any).moved = [{ from: "aws_s3_bucket.data_bucket", to: "aws_s3_bucket.snapshots_bucket" }];
  const diff = diffEnvironment(base, renamed, "main");
  expect(diff.replacements).toEqual([]);
  expect(diff.removed).toEqual([]);
  expect(diff.added).toEqual([]);
  expect(diff.moved).toEqual([{ stack: AWS, from: "aws_s3_bucket.data_bucket", to: "aws_s3_bucket.snapshots_bucket" }]);
});

test("removing a non-stateful resource is a removal, not a replacement; dropping prevent_destroy is called out", () => {
  const protectedBase = withResource(base, AWS, "aws_kms_key", "data_bucket_key", (c) => ({ ...c, lifecycle: { prevent_destroy: true } }));
  let current = withResource(base, AWS, "aws_sqs_queue", DEV.interruptionQueue, () => undefined);
  const diff = diffEnvironment(protectedBase, current, "main");
  expect(diff.removed.map((r) => r.address)).toEqual([`aws_sqs_queue.${DEV.interruptionQueue}`]);
  expect(diff.replacements).toEqual([]);
  expect(diff.protectionRemoved.map((r) => r.address)).toEqual(["aws_kms_key.data_bucket_key"]);
  current = protectedBase;
  expect(diffEnvironment(protectedBase, current, "main").protectionRemoved).toEqual([]);
});

test("an environment missing from the base is all additions; one deleted since is all removals, stateful ones flagged", () => {
  expect(diffEnvironment(undefined, base, "main").added.length).toBeGreaterThan(20);
  const gone = diffEnvironment(base, undefined, "main");
  expect(gone.added).toEqual([]);
  expect(gone.replacements.map((r) => r.type)).toEqual(expect.arrayContaining(["aws_s3_bucket", "aws_eks_cluster", "aws_efs_file_system"]));
});

test("changed paths read one-element block lists and objects alike", () => {
  expect(changedPaths({ scaling_config: [{ min_size: 1 }] }, { scaling_config: { min_size: 1 } })).toEqual([]);
  expect(changedPaths({ a: [1, 2] }, { a: [1, 3] })).toEqual(["a"]);
  expect(changedPaths({ a: { b: 1 } }, { a: { b: 2, c: 3 } })).toEqual(["a.b", "a.c"]);
});
