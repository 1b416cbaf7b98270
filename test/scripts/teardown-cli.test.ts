/**
 * The teardown's `cdktf destroy` commands, run exactly as the script builds
 * them with the real cdktf 0.21 CLI from node_modules, in a scratch copy of
 * the project synthesized as the teardown synthesizes it: the CLI's reading of
 * that synth, its stack-dependency check, terraform init against the offline
 * provider mirror, and terraform destroy up to the point where the AWS
 * provider asks for credentials (there are none). A planted state with one
 * resource makes terraform need the provider, as a deployed environment would.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizeEnvironment } from "../../scripts/lib/synth";
import { destroyCommand, DestroyCommand } from "../../scripts/teardown";
import { copyProject } from "../helpers/project-copy";
import { PROJECT_ROOT, exampleEnvironment } from "../helpers/synth";
import { announceSkip, findToolchain } from "../helpers/terraform";

const toolchain = findToolchain();
const env = exampleEnvironment("dev");

/** Runs a destroy command in the project copy with no AWS credentials of any kind. */
function run(dir: string, destroy: DestroyCommand): { status: number; output: string } {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(environment)) if (key.startsWith("AWS_")) delete environment[key];
  const result = spawnSync(destroy.command, destroy.args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 240000,
    env: {
      ...environment,
      ...destroy.env,
      TF_CLI_CONFIG_FILE: path.join(dir, "cli.tfrc"),
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
      CHECKPOINT_DISABLE: "1",
      CI: "1",
    },
  });
  // eslint-disable-next-line no-control-regex
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "") };
}

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`teardown against the real cdktf CLI skipped: ${toolchain}`, () => undefined);
} else {
  let dir: string;

  beforeAll(() => {
    dir = copyProject();
    // What `npm run teardown -- dev` writes before its first destroy.
    synthesizeEnvironment(dir, env);
    fs.writeFileSync(path.join(dir, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(toolchain.mirror)}\n  }\n}\n`);
    // The local backend of dev (`../../../terraform.<stack>.tfstate` from cdktf.out/stacks/<stack>/).
    fs.writeFileSync(
      path.join(dir, "terraform.layer-dev-aws.tfstate"),
      JSON.stringify({
        version: 4,
        terraform_version: "1.11.0",
        serial: 1,
        lineage: "00000000-0000-0000-0000-000000000000",
        outputs: {},
        resources: [
          {
            mode: "managed",
            type: "aws_s3_bucket",
            name: "data_bucket",
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ schema_version: 0, attributes: { id: "layer-dev-data-123456789012-us-east-1", bucket: "layer-dev-data-123456789012-us-east-1" } }],
          },
        ],
      }),
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the AWS stack's destroy passes the CLI's checks and stops only where credentials are needed", () => {
    const result = run(dir, destroyCommand(env, "aws"));
    expect(result.output).not.toMatch(/Usage Error|dependant stacks/);
    // cdktf prefixes only the first line of each output chunk with the stack name.
    expect(result.output).toMatch(/^layer-dev-aws /m);
    expect(result.output).toMatch(/Terraform has been successfully initialized/);
    expect(result.output).toMatch(/Error: No valid credential sources found/);
    expect(result.status).not.toBe(0);
  });

  test("without --ignore-missing-stack-dependencies the CLI refuses the AWS stack alone", () => {
    const destroy = destroyCommand(env, "aws");
    const result = run(dir, { ...destroy, args: destroy.args.filter((a) => a !== "--ignore-missing-stack-dependencies") });
    expect(result.output).toMatch(/dependant stacks are not included in the stacks to run: layer-dev-helm/);
    expect(result.status).not.toBe(0);
  });

  test("npm run teardown of a protected environment stops before any cdktf or AWS call, even with --allow-protected", () => {
    const result = spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/teardown.ts", "prod", "--allow-protected"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/environments\/prod\.yaml says protected: true[\s\S]*--allow-protected does not override/);
    expect(fs.existsSync(path.join(dir, "cdktf.out/stacks/layer-prod-helm"))).toBe(false);
  });

  // The script runs destroyCommand(env, "helm") with the CLI's output passed through, so this one run
  // also proves that command passes every CLI check.
  test("npm run teardown runs the Helm stack's destroy through the real CLI first, past the CLI's checks, and stops when it fails", () => {
    // The script's own synth is what the CLI reads.
    fs.rmSync(path.join(dir, "cdktf.out"), { recursive: true, force: true });
    const environment: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(environment)) if (key.startsWith("AWS_")) delete environment[key];
    const result = spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/teardown.ts", "dev"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 240000,
      env: {
        ...environment,
        TF_CLI_CONFIG_FILE: path.join(dir, "cli.tfrc"),
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        CHECKPOINT_DISABLE: "1",
        CI: "1",
      },
    });
    // eslint-disable-next-line no-control-regex
    const output = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
    expect(output).toContain("synthesizing dev into cdktf.out");
    expect(fs.readdirSync(path.join(dir, "cdktf.out/stacks")).sort()).toEqual(["layer-dev-aws", "layer-dev-helm"]);
    expect(output).toContain("destroying layer-dev-helm");
    expect(output).not.toMatch(/Usage Error|Unknown argument|dependant stacks/);
    // Offline, the mirror holds only the AWS provider: init stops at the helm provider, past every CLI check.
    expect(output).toMatch(/^layer-dev-helm /m);
    expect(output).toMatch(/hashicorp\/helm: provider registry\.terraform\.io\/hashicorp\/helm/);
    // Offline the helm provider cannot be installed: the script reports it and never reaches the AWS stack.
    expect(output).toMatch(/cdktf destroy layer-dev-helm failed \(exit 1\)/);
    expect(output).not.toContain("destroying layer-dev-aws");
    expect(result.status).toBe(1);
  });
}
