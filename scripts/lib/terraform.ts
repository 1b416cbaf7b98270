/**
 * The terraform tier: runs the real terraform binary against the synthesized
 * JSON with the AWS provider taken from a local filesystem mirror, so every
 * stack is validated and planned offline with mock credentials. Used by the
 * tests and by `npm run check`.
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
  if (typeof mirror === "string") return { terraform, mirror };
  return mirror.missing;
}

function which(command: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function hasAwsProvider(mirror: string): boolean {
  return fs.existsSync(path.join(mirror, "registry.terraform.io/hashicorp/aws", AWS_PROVIDER_VERSION));
}

const PROVIDER = `registry.terraform.io/hashicorp/aws ${AWS_PROVIDER_VERSION}`;

/**
 * `LAYER_TF_PROVIDER_MIRROR` names the mirror (CI builds it with
 * `terraform providers mirror`); without it, only terraform's own implied
 * local mirror directories are looked at, never a search of the disk.
 * https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories
 */
function findProviderMirror(): string | { missing: string } {
  const named = process.env.LAYER_TF_PROVIDER_MIRROR;
  if (named) return hasAwsProvider(named) ? path.resolve(named) : { missing: `LAYER_TF_PROVIDER_MIRROR=${named} holds no ${PROVIDER}` };
  const implied = [
    path.join(os.homedir(), ".terraform.d/plugins"),
    path.join(os.homedir(), ".local/share/terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  const found = implied.find(hasAwsProvider);
  return found ?? { missing: `no provider mirror with ${PROVIDER}: set LAYER_TF_PROVIDER_MIRROR (build one with terraform providers mirror)` };
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

/**
 * terraform and the AWS provider are Go processes that live seconds: with
 * the collector off below a memory ceiling they spend about a fifth less CPU
 * per command (the provider builds its whole schema on every start).
 * https://go.dev/doc/gc-guide#Memory_limit
 */
export const SHORT_LIVED_GO_PROCESS = { GOGC: "off", GOMEMLIMIT: "1536MiB" } as const;

export interface TerraformRun {
  readonly status: number;
  readonly output: string;
}

/** One resource change of a plan, from terraform's machine-readable `planned_change` message. */
export interface PlannedChange {
  readonly address: string;
  /** `module.<name>` for a resource inside a module, "" at the root. */
  readonly module: string;
  /** `create`, `update`, `delete`, `replace`, `read` or `noop`. */
  readonly action: string;
}

export interface OfflinePlan extends TerraformRun {
  readonly step: "init" | "plan";
  /** The planned changes; empty when a step failed. */
  readonly changes: readonly PlannedChange[];
}

/** The JSON messages of `-json` output, and the lines that are not JSON (a crash, a wrapper's notice). */
function machineReadable(output: string): { events: any[]; text: string[] } {
  const events: any[] = [];
  const text: string[] = [];
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      text.push(line);
    }
  }
  return { events, text };
}

/** Diagnostics of `-json` output as terraform prints them: severity and summary, file and line, detail. */
function renderDiagnostics(events: readonly any[]): string {
  return events
    .filter((e) => e.type === "diagnostic")
    .map(({ diagnostic: d }) => {
      const where = d.range ? `\n\n  on ${d.range.filename} line ${d.range.start.line}${d.snippet?.context ? `, in ${d.snippet.context}` : ""}:` : "";
      const severity = d.severity === "error" ? "Error" : "Warning";
      const code = d.snippet?.code ? `\n  ${d.snippet.start_line}: ${d.snippet.code}` : "";
      return `${severity}: ${d.summary}${where}${code}\n${d.detail ? `\n${d.detail}\n` : ""}`;
    })
    .join("\n");
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
    // Beside the other tool caches: kept between runs, gone with node_modules.
    const cache = path.resolve(__dirname, "../../node_modules/.cache/layer-infra/terraform-plugins");
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
      ...SHORT_LIVED_GO_PROCESS,
      ...extraEnv,
    };
  }

  /** Runs terraform; a non-zero status, a signal or a spawn error all come back as a failed run. */
  run(...args: string[]): TerraformRun {
    const result = spawnSync(this.toolchain.terraform, [...args, "-no-color"], {
      cwd: this.dir,
      env: this.env,
      encoding: "utf8",
      timeout: 300000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    if (result.error || result.status === null)
      return { status: 1, output: `${output}\nterraform ${args[0]}: ${result.error ?? `killed by ${result.signal}`}` };
    return { status: result.status, output };
  }

  /**
   * init, then `plan -json`: every planned change comes from terraform's
   * machine-readable output (https://developer.hashicorp.com/terraform/internals/machine-readable-ui),
   * so no `terraform show` starts the 700 MB AWS provider again for its schema,
   * and no separate `terraform validate` either: plan "includes an implied
   * validation check" and reports the same errors
   * (https://developer.hashicorp.com/terraform/cli/commands/validate).
   * The first failing step is returned, its diagnostics as terraform prints them.
   */
  planOffline(): OfflinePlan {
    const init = this.run("init", "-input=false", "-backend=true");
    if (init.status !== 0) return { step: "init", ...init, changes: [] };
    const plan = this.run("plan", "-input=false", "-lock=false", "-refresh=false", "-json");
    const { events, text } = machineReadable(plan.output);
    const changes = events
      .filter((e) => e.type === "planned_change")
      .map((e) => ({ address: e.change.resource.addr, module: e.change.resource.module, action: e.change.action }));
    // Diagnostics as terraform prints them, then whatever was not JSON (a provider's crash, a kill).
    const output = [renderDiagnostics(events), ...text].filter((part) => part !== "").join("\n");
    if (plan.status !== 0) return { step: "plan", status: plan.status, output: output || events.map((e) => e["@message"]).join("\n"), changes: [] };
    return { step: "plan", status: 0, output, changes };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
