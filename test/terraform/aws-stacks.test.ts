/**
 * Terraform tier: every environment's AWS stack (examples and users' own) passes the real
 * `terraform init` and an offline `plan` (validation included) against AWS provider 5.100.0.
 * Stacks that read AWS through data sources (existing-cluster mode) cannot
 * plan offline as they are; existing-cluster.test.ts plans them with
 * `terraform test` and overridden data sources.
 */
import { MINIMAL_ENVIRONMENT, environmentFromYaml, environmentNames, synthEnvironment, synthExample } from "../helpers/synth";
import { PlannedChange, TerraformWorkdir, announceSkip, findToolchain, offlineOverride } from "../helpers/terraform";

const toolchain = findToolchain();
const withAwsStack = environmentNames().filter((name) => synthExample(name).aws);
const readsAws = (name: string) => Object.keys(synthExample(name).aws!.data ?? {}).length > 0;
const environments = withAwsStack.filter((name) => !readsAws(name));

/**
 * Switches no example environment turns on, planned in the same root so the
 * provider checks them too: private workers behind one NAT per zone,
 * interface endpoints, flow logs, pinned add-ons, no SSM, a private API
 * endpoint reached from a runner network, the first of the two deploys of a
 * new public zone, and an account that already has the Spot role.
 */
const VARIANTS: Record<string, string> = {
  "variant-private": `${MINIMAL_ENVIRONMENT}network:
  workerSubnets: private
  natGateways: one-per-az
  interfaceEndpoints: [ecr.api, ecr.dkr, sts, logs]
  flowLogs:
    enabled: true
cluster:
  privateAccessCidrs: [10.50.0.0/24]
  addonVersions:
    vpcCni: v1.20.4-eksbuild.1
  systemNodeGroup:
    ssmAccess: false
karpenter:
  amiAlias: al2023@v20260114
  spotServiceLinkedRole: exists
dns:
  managePublicDns: true
  zoneName: example.com
  gatewayHost: layer.example.com
`,
};

/** `<module>.<type>.<name>` of every managed resource of a stack, without instance keys. */
function resourceAddresses(stack: any, module: string): string[] {
  return Object.entries<Record<string, unknown>>(stack.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${module}.${type}.${name}`))
    .sort();
}

test("only existing-cluster stacks read AWS at plan time; every other stack plans here", () => {
  expect(withAwsStack.filter(readsAws)).toEqual(withAwsStack.filter((name) => synthExample(name).env.mode === "existing-cluster"));
  if (!process.env.LAYER_ENV) expect(environments).toEqual(expect.arrayContaining(["dev", "prod"]));
});

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  // One root with a module per stack: one provider start per step for all
  // environments instead of one per stack keeps the tier fast as stacks grow.
  const files: Record<string, unknown> = {
    "main.tf.json": {
      terraform: { backend: { local: { path: "terraform.tfstate" } } },
      module: Object.fromEntries([...environments, ...Object.keys(VARIANTS)].map((name) => [name, { source: `./${name}` }])),
    },
  };
  for (const name of environments) {
    files[`${name}/cdk.tf.json`] = synthExample(name).aws;
    files[`${name}/offline_override.tf.json`] = offlineOverride();
  }
  for (const [name, yamlText] of Object.entries(VARIANTS)) {
    files[`${name}/cdk.tf.json`] = synthEnvironment(environmentFromYaml(yamlText, name)).aws;
    files[`${name}/offline_override.tf.json`] = offlineOverride();
  }
  let changes: readonly PlannedChange[];
  beforeAll(() => {
    const workdir = new TerraformWorkdir(toolchain, files);
    try {
      const result = workdir.planOffline();
      if (result.status !== 0) throw new Error(`terraform ${result.step} failed:\n${result.output}`);
      changes = result.changes;
    } finally {
      workdir.remove();
    }
  });

  test.each([...environments, ...Object.keys(VARIANTS)])("layer-%s-aws validates and plans offline", (name) => {
    const ofStack = changes.filter((c) => c.module === `module.${name}`);
    // Every resource of the synthesized stack is planned, and only created.
    expect([...new Set(ofStack.map((c) => c.address.replace(/\[[^\]]*\]$/, "")))].sort()).toEqual(
      resourceAddresses(files[`${name}/cdk.tf.json`], `module.${name}`),
    );
    expect(ofStack.filter((c) => c.action !== "create")).toEqual([]);
  });
}
