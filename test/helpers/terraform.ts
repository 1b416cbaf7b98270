/**
 * The terraform tier: runs the real terraform binary against the synthesized
 * JSON with the AWS provider taken from a local filesystem mirror, so every
 * stack is validated and planned offline with mock credentials.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const AWS_PROVIDER_VERSION = "5.100.0";

export interface TerraformToolchain {
  readonly terraform: string;
  /** Directory laid out as `<hostname>/<namespace>/<type>/<version>/<os_arch>/`. */
  readonly mirror: string;
}

/** Finds terraform and a mirror holding hashicorp/aws 5.100.0, or says what is missing. */
export function findToolchain(): TerraformToolchain | string {
  const terraform = which("terraform");
  if (!terraform) return "terraform is not on PATH";
  const mirror = findProviderMirror();
  if (!mirror) {
    return `no filesystem mirror with registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION} (set LAYER_TF_PROVIDER_MIRROR)`;
  }
  return { terraform, mirror };
}

function which(command: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function hasAwsProvider(mirror: string): boolean {
  return fs.existsSync(path.join(mirror, "registry.terraform.io/hashicorp/aws", AWS_PROVIDER_VERSION));
}

/**
 * The mirror is discovered, never assumed: an explicit variable first, then
 * terraform's implied local mirror directories, then a bounded search.
 */
function findProviderMirror(): string | undefined {
  const candidates = [
    process.env.LAYER_TF_PROVIDER_MIRROR,
    path.join(os.homedir(), ".terraform.d/plugins"),
    path.join(os.homedir(), ".local/share/terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) if (hasAwsProvider(candidate)) return candidate;
  const search = spawnSync(
    "find",
    ["/", "-maxdepth", "5", "-type", "d", "-path", "*registry.terraform.io/hashicorp/aws", "-not", "-path", "/proc/*"],
    { encoding: "utf8", timeout: 20000 },
  );
  for (const line of (search.stdout ?? "").split("\n").filter(Boolean).sort()) {
    const mirror = path.resolve(line, "../../..");
    if (hasAwsProvider(mirror)) return mirror;
  }
  return undefined;
}

/** Mock credentials and skip flags: plan never calls AWS. */
export function offlineOverride(providerAliases: string[] = []): object {
  const offline = {
    access_key: "mock-access-key",
    secret_key: "mock-secret-key",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    allowed_account_ids: null,
  };
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: { aws: [offline, ...providerAliases.map((alias) => ({ ...offline, alias }))] },
  };
}

export interface TerraformRun {
  readonly status: number;
  readonly output: string;
}

export class TerraformWorkdir {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly toolchain: TerraformToolchain,
    files: Record<string, unknown>,
    /** Extra process environment for every run (e.g. TF_VAR_* inputs). */
    extraEnv: NodeJS.ProcessEnv = {},
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-tf-"));
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
    }
    const cliConfig = path.join(this.dir, "cli.tfrc");
    const cache = path.join(os.tmpdir(), "layer-infra-tf-plugin-cache");
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(
      cliConfig,
      [
        `plugin_cache_dir = ${JSON.stringify(cache)}`,
        "provider_installation {",
        `  filesystem_mirror {\n    path = ${JSON.stringify(toolchain.mirror)}\n  }`,
        "}",
      ].join("\n"),
    );
    this.env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      ...extraEnv,
    };
  }

  run(...args: string[]): TerraformRun {
    const result = spawnSync(this.toolchain.terraform, [...args, "-no-color"], {
      cwd: this.dir,
      env: this.env,
      encoding: "utf8",
      timeout: 300000,
    });
    return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
  }

  /** init, validate and plan; the first failing step's output is returned. */
  validateAndPlan(): { step: string } & TerraformRun {
    for (const [step, args] of [
      ["init", ["init", "-input=false", "-backend=true"]],
      ["validate", ["validate"]],
      ["plan", ["plan", "-input=false", "-lock=false", "-refresh=false", "-out=plan.bin"]],
    ] as const) {
      const run = this.run(...args);
      if (run.status !== 0) return { step, ...run };
    }
    return { step: "plan", status: 0, output: this.run("show", "-json", "plan.bin").output };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Prints a loud SKIP: a missing toolchain must never look like a pass. */
export function announceSkip(reason: string): void {
  const line = "=".repeat(78);
  process.stderr.write(`\n${line}\nSKIP terraform tier: ${reason}\n${line}\n\n`);
}
