/**
 * Limits the environment file enforces come from upstream facts: Karpenter's
 * NodePool CRD (disruption budget, EC2NodeClass tag keys), the AWS region
 * table, AWS tag rules, EC2 instance type names and Kubernetes name lengths.
 * Each limit is checked against its source where the source is at hand, and
 * each refusal is shown to fail on the input just past the limit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { KARPENTER_BUDGET_NODES } from "../../config/schema";
import { AWS_REGIONS } from "../../config/aws-regions";
import { KARPENTER_RESTRICTED_TAG_KEYS, KARPENTER_RESTRICTED_TAG_PREFIX, MAX_ENVIRONMENT_TAGS, checkTags } from "../../config/tag-rules";
import { INSTANCE_TYPE } from "../../config/instance-types";
import { MINIMAL_ENVIRONMENT, PROJECT_ROOT, environmentFromYaml } from "../helpers/synth";
import { errorOf } from "../helpers/config-error";
import { describeWithReference } from "../helpers/reference";

const CDK_REGIONS = path.join(PROJECT_ROOT, "node_modules/aws-cdk-lib/region-info/lib/aws-entities.js");

describeWithReference("the disruption budget pattern is Karpenter's", "karpenter-1.14.1/crds/karpenter.sh_nodepools.yaml", (crdFile) => {
  const crd = parse(fs.readFileSync(crdFile, "utf8"));
  const budgets = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.disruption.properties.budgets;
  const crdPattern: string = budgets.items.properties.nodes.pattern;
  const chartSchema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "charts/worker-pools/values.schema.json"), "utf8"));

  test("the environment schema, the worker-pools chart schema and the NodePool CRD use one pattern", () => {
    expect(KARPENTER_BUDGET_NODES.source).toBe(crdPattern);
    expect(JSON.stringify(chartSchema)).toContain(JSON.stringify(crdPattern));
  });

  test.each([
    ["150%", false],
    ["101%", false],
    ["100%", true],
    ["0%", true],
    ["10%", true],
    ["3", true],
    ["-1", false],
    ["10 %", false],
  ])("%s accepted: %s", (budget, accepted) => {
    expect(new RegExp(crdPattern).test(budget)).toBe(accepted);
    const run = () => environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  workerGpu:\n    disruptionBudget: "${budget}"\n`);
    if (accepted) expect(run().karpenter.workerGpu.disruptionBudget).toBe(budget);
    else expect(errorOf(run).message).toContain(`karpenter.workerGpu.disruptionBudget: found "${budget}"`);
  });
});

describeWithReference(
  "tag keys Karpenter's EC2NodeClass refuses are refused in the environment",
  "karpenter-1.14.1/crds/karpenter.k8s.aws_ec2nodeclasses.yaml",
  (crdFile) => {
    const text = fs.readFileSync(crdFile, "utf8");
    const restricted = [...text.matchAll(/message: tag contains a restricted tag matching (\S+)/g)].map((m) => m[1]);

    test("every key the CRD restricts is in the list, and each is refused", () => {
      expect(restricted.length).toBeGreaterThanOrEqual(5);
      for (const key of restricted) {
        const known = (KARPENTER_RESTRICTED_TAG_KEYS as readonly string[]).includes(key) || key.startsWith(KARPENTER_RESTRICTED_TAG_PREFIX);
        expect({ key, known }).toEqual({ key, known: true });
        const probe = key.endsWith("/") ? `${key}layer-dev` : key;
        expect(checkTags({ [probe]: "x" }).map((p) => p.path)).toEqual([`tags.${probe}`]);
      }
    });
  },
);

describe("regions come from a list", () => {
  const cdkSource = fs.existsSync(CDK_REGIONS) ? fs.readFileSync(CDK_REGIONS, "utf8") : undefined;
  const title = "the list is aws-cdk-lib's region table without the isolated and sovereign partitions";
  (cdkSource ? test : test.skip)(cdkSource ? title : `${title}: skipped, node_modules/aws-cdk-lib (the source of the table) is not installed`, () => {
    const table = /AWS_REGIONS_AND_RULES=\[([^\]]*)\]/.exec(cdkSource!)![1];
    const cdkRegions = [...table.matchAll(/"([a-z]+(?:-[a-z]+)+-\d)"/g)].map((m) => m[1]).filter((r) => !/-iso|^eusc-/.test(r));
    expect([...AWS_REGIONS].sort()).toEqual(cdkRegions.sort());
  });

  test("a region-shaped typo is refused as the region, with the nearest real one, not blamed on the zones", () => {
    const error = errorOf(() => environmentFromYaml(`accountId: "123456789012"\nregion: eu-cnetral-1\navailabilityZones: [eu-cnetral-1a, eu-cnetral-1b]\n`));
    expect(error.problems.map((p) => p.path)).toEqual(["region"]);
    expect(error.message).toContain('"eu-central-1", did you mean it?');
  });

  test("every listed region is accepted", () => {
    for (const region of AWS_REGIONS) {
      expect(environmentFromYaml(MINIMAL_ENVIRONMENT.replace(/us-east-1/g, region)).region).toBe(region);
    }
  });
});

describe("AWS tag rules", () => {
  const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, "search"]));

  test(`${MAX_ENVIRONMENT_TAGS} tags pass; one more is one message, not one per tag`, () => {
    expect(MAX_ENVIRONMENT_TAGS).toBe(41);
    expect(checkTags(tags(MAX_ENVIRONMENT_TAGS))).toEqual([]);
    expect(checkTags(tags(MAX_ENVIRONMENT_TAGS + 1))).toEqual([expect.objectContaining({ path: "tags", found: "42 tags" })]);
    expect(checkTags(tags(5000))).toHaveLength(1);
  });

  test.each([
    ["aws:team", "search", "aws: prefix"],
    ["AWS:Team", "search", "aws: prefix"],
    ["team", "aws:search", "a value without the aws: prefix"],
    ["team#1", "search", "AWS tag characters"],
    ["team", "search;platform", "AWS tag characters"],
    ["hev.dev/environment", "other", "set by this project"],
  ])("%s: %s is refused (%s)", (key, value, fragment) => {
    const problems = checkTags({ [key]: value });
    expect(problems.map((p) => p.path)).toEqual([`tags.${key}`]);
    expect(problems[0].expected).toContain(fragment);
  });

  test("ordinary tags, with spaces and the allowed punctuation, pass", () => {
    expect(checkTags({ "cost-center": "search platform", "owner/email": "team+infra@example.com", "a.b_c:d=e": "x" })).toEqual([]);
  });

  test("key and value lengths: 128 and 256 characters", () => {
    expect(environmentFromYaml(`${MINIMAL_ENVIRONMENT}tags:\n  ${"k".repeat(128)}: ${"v".repeat(256)}\n`).tags).toBeDefined();
    expect(errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}tags:\n  ${"k".repeat(129)}: v\n`)).message).toContain("tags");
    expect(errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}tags:\n  k: ${"v".repeat(257)}\n`)).message).toContain("tags.k: found");
  });
});

describe("instance types", () => {
  test.each([
    ["i4i.large", true],
    ["i4i.xlarge", true],
    ["i7ie.48xlarge", true],
    ["c6id.metal", true],
    ["m7i.metal-24xl", true],
    ["u-6tb1.112xlarge", true],
    ["i4i-xlarge", false],
    ["i4i", false],
    ["I4I.large", false],
    ["i4i.huge", false],
    ["i4i.0xlarge", false],
    [".large", false],
  ])("%s has the EC2 syntax: %s", (type, valid) => {
    expect(INSTANCE_TYPE.test(type)).toBe(valid);
  });

  test.each([
    ["i3en.large", true],
    ["c6id.xlarge", true],
    ["m7i.large", false],
    ["i4g.large", false],
    ["im4gn.large", false],
  ])("%s as a system node (x86_64 with NVMe instance store): %s", (type, accepted) => {
    const run = () => environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n  systemNodeGroup:\n    instanceType: ${type}\n`);
    if (accepted) expect(run().cluster.systemNodeGroup.instanceType).toBe(type);
    else expect(errorOf(run).message).toContain(`cluster.systemNodeGroup.instanceType: found "${type}"; expected an x86_64 type with NVMe instance store`);
  });

  test("the document-cache pool only takes NVMe families", () => {
    const yaml = (families: string) => `${MINIMAL_ENVIRONMENT}karpenter:\n  documentCache:\n    enabled: true\n    instanceFamilies: [${families}]\n`;
    expect(environmentFromYaml(yaml("i4i, i3en")).karpenter.documentCache.instanceFamilies).toEqual(["i4i", "i3en"]);
    expect(errorOf(() => environmentFromYaml(yaml("i4i, m7i"))).message).toContain(
      'karpenter.documentCache.instanceFamilies[1]: found "m7i"; expected a family with NVMe instance store',
    );
  });

  test("a Graviton family in a pool is refused only while Karpenter runs the pools", () => {
    const yaml = (extra: string) => `${MINIMAL_ENVIRONMENT}${extra}karpenter:\n  documentCache:\n    enabled: true\n    instanceFamilies: [i4i, i8g]\n`;
    expect(errorOf(() => environmentFromYaml(yaml(""))).message).toContain(
      'karpenter.documentCache.instanceFamilies[1]: found "i8g"; expected an x86_64 family',
    );
    const existing = `${MINIMAL_ENVIRONMENT}mode: existing-cluster\ncluster:\n  name: platform\nkarpenter:\n  workerCpu:\n    instanceFamilies: [c7g]\n`;
    expect(environmentFromYaml(existing).karpenter.enabled).toBe(false);
  });
});

describe("Kubernetes names", () => {
  test("a 63-character namespace passes, 64 is refused", () => {
    const ns = (n: number) => `${MINIMAL_ENVIRONMENT}  namespace: ${"a".repeat(n)}\n`;
    expect(environmentFromYaml(ns(63)).release.namespace).toHaveLength(63);
    expect(errorOf(() => environmentFromYaml(ns(64))).message).toContain("release.namespace: found");
  });

  test("service account and storage class names: DNS subdomains of at most 253 characters", () => {
    const sa = (name: string) => `${MINIMAL_ENVIRONMENT}  serviceAccounts:\n    gateway: ${name}\n`;
    expect(environmentFromYaml(sa("gw.search-1")).release.serviceAccounts.gateway).toBe("gw.search-1");
    expect(errorOf(() => environmentFromYaml(sa("Layer_Gateway"))).message).toContain(
      'release.serviceAccounts.gateway: found "Layer_Gateway"; expected a ServiceAccount name',
    );
    expect(errorOf(() => environmentFromYaml(sa("a".repeat(254)))).message).toContain("at most 253 characters");
    const sc = (n: number) => `${MINIMAL_ENVIRONMENT}efs:\n  storageClassName: ${"e".repeat(n)}\n`;
    expect(environmentFromYaml(sc(253)).efs.storageClassName).toHaveLength(253);
    expect(errorOf(() => environmentFromYaml(sc(254))).message).toContain("efs.storageClassName: found");
  });
});

describe("certificates", () => {
  const cert = (region: string) =>
    `${MINIMAL_ENVIRONMENT}dns:\n  gatewayHost: layer.example.com\n  certificateArn: arn:aws:acm:${region}:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100\n`;
  test("one from the environment's region passes; another region's is refused naming both regions", () => {
    expect(environmentFromYaml(cert("us-east-1")).dns.certificateArn).toContain("us-east-1");
    expect(errorOf(() => environmentFromYaml(cert("us-west-2"))).message).toContain("dns.certificateArn: found");
    expect(errorOf(() => environmentFromYaml(cert("us-west-2"))).message).toContain("a certificate in us-east-1 (region)");
  });
});
