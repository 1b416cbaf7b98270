/**
 * The operator docs stay true: the cost numbers are the review's computation,
 * every relative link resolves, and the README links every guide.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { costDocBlock, costMoves, currentBlock } from "../../review/cost-doc";
import { buildReview } from "../../review/report";
import { HOURS_PER_MONTH as H, INSTANCE_HOUR_PRICES, PRICES } from "../../review/prices";
import { exampleEnvironment, PROJECT_ROOT, synthExample } from "../helpers/synth";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const GUIDES = ["docs/install.md", "docs/operations.md", "docs/cost.md", "docs/ci.md"];

test("docs/cost.md holds the dev baseline the review computes (run `npm run docs` after a change)", () => {
  const { aws, helm } = synthExample("dev");
  const stacks: Record<string, any> = { "layer-dev-helm": helm };
  if (aws) stacks["layer-dev-aws"] = aws;
  const dev = buildReview({ name: "dev", current: { name: "dev", stacks } });
  expect(currentBlock(read("docs/cost.md"))).toBe(costDocBlock(dev, exampleEnvironment("dev")));
});

test("what moves the baseline is priced from the table (hand calculation)", () => {
  const moves = costMoves(exampleEnvironment("dev"));
  // dev: i4i.large, 50 GiB root volume, 1 desired node, 2 zones.
  const node = H * INSTANCE_HOUR_PRICES["i4i.large"].usd + 50 * PRICES.ebsGp3GbMonth.usd + H * PRICES.publicIpv4Hour.usd;
  const nat = H * PRICES.natGatewayHour.usd + H * PRICES.publicIpv4Hour.usd;
  expect(moves.map((m) => m.monthlyUsd)).toEqual([
    expect.closeTo(node, 2), //                                  730 × 0.172 + 50 × 0.08 + 730 × 0.005 = 133.21
    expect.closeTo(nat - H * PRICES.publicIpv4Hour.usd, 2), //  one NAT + EIP, minus the node's public address = 32.85
    expect.closeTo(2 * nat - H * PRICES.publicIpv4Hour.usd, 2), // 69.35
    expect.closeTo(2 * H * PRICES.interfaceEndpointAzHour.usd, 2), // 14.60
    expect.closeTo(5 * PRICES.logsIngestGb.usd + 5 * 3 * PRICES.logsStorageGbMonth.usd + PRICES.kmsKeyMonth.usd, 2), // 3.95
  ]);
});

test("the README's Documentation section links every guide", () => {
  const readme = read("README.md");
  const section = readme.slice(readme.indexOf("## Documentation"), readme.indexOf("\n## ", readme.indexOf("## Documentation") + 1));
  for (const guide of GUIDES) expect(section).toContain(`](${guide})`);
});

test.each(["README.md", ...GUIDES])("every relative link in %s resolves", (file) => {
  const text = read(file);
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:|#)/.test(l));
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    const [target, anchor] = link.split("#");
    const resolved = path.resolve(path.dirname(path.join(PROJECT_ROOT, file)), target);
    expect({ link, exists: fs.existsSync(resolved) }).toEqual({ link, exists: true });
    if (anchor && resolved.endsWith(".md")) {
      const slugs = [...fs.readFileSync(resolved, "utf8").matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]
          .toLowerCase()
          .replace(/[`*]/g, "")
          .replace(/[^a-z0-9 -]/g, "")
          .replace(/ /g, "-"),
      );
      expect({ link, slugs }).toEqual({ link, slugs: expect.arrayContaining([anchor]) });
    }
  }
});

test("operations.md names the product's failure signals and settings exactly", () => {
  const ops = read("docs/operations.md");
  for (const needle of [
    'layer_aerospike_op_duration_seconds{status="aerospike_stop_writes"}',
    "hevlayer_cache_cold_responses_total",
    "hevlayer_document_cache_cold_starts_total",
    "documentCache.autoRestartOnStopWrites",
    "documentCache.storage.resetOnStart",
  ]) {
    expect(ops).toContain(needle);
  }
});

test("install.md deploys the AWS stack before the Helm stack and tears down through the ordered teardown", () => {
  const install = read("docs/install.md");
  expect(install.indexOf("npx cdktf deploy layer-<env>-aws")).toBeLessThan(install.indexOf("npx cdktf deploy layer-<env>-helm"));
  expect(install).toContain("npm run teardown");
});
