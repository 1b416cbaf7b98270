import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { Fn, ITerraformDependable, TerraformStack, TerraformVariable, Token, dependable, ref } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";

/** Where the chart comes from: a local directory or an OCI repository with an exact version. */
export type LayerChart = { readonly path: string } | { readonly repository: string; readonly chart: string; readonly version: string };

/**
 * A secret passed to the chart as a write-only value: from an ephemeral
 * variable (`variable`), or read from Secrets Manager with the ephemeral
 * `aws_secretsmanager_secret_version` (`secretsManagerName`).
 */
export interface WriteOnlyValue {
  /** Helm value path, e.g. `vectorStore.credential.apiKey`. */
  readonly valuesPath: string;
  readonly description: string;
  /** Name of the ephemeral, sensitive Terraform variable that feeds it (`TF_VAR_<name>`). */
  readonly variable?: string;
  /** The Secrets Manager secret that holds it. */
  readonly secretsManagerName?: string;
  /** Stable id of that secret (the ephemeral block's name). */
  readonly id?: string;
}

export interface LayerReleaseProps {
  /** The product chart. A local path is relative to the directory terraform runs in. */
  readonly chart: LayerChart;
  /** Complete values as one YAML document (no secrets). */
  readonly valuesYaml: string;
  /** @default "layer" */
  readonly releaseName?: string;
  /** Created before the release, with Helm's ownership metadata. @default "layer" */
  readonly namespace?: string;
  /** Labels and annotations that let the release adopt the namespace. */
  readonly namespaceMetadata: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  /**
   * Secrets passed with `set_wo`: never in the plan or the state
   * (Terraform >= 1.11, helm provider >= 3.0).
   * @default none
   */
  readonly writeOnlyValues?: WriteOnlyValue[];
  /** Bump to push rotated write-only values; added to the values/chart hash in `set_wo_revision`. @default 1 */
  readonly secretsRevision?: number;
  /** What must be ready first: the ingress controller, the worker pools. @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for the release to become ready. @default 900 */
  readonly timeoutSeconds?: number;
}

/**
 * hev layer's own chart (gateway, operator, dashboard, document cache) as one
 * Helm release. Secrets reach it only as write-only values (security-bar
 * SEC-01..03), from ephemeral variables or ephemeral Secrets Manager reads.
 */
export class LayerRelease extends Construct {
  readonly release: Release;
  readonly namespace: NamespaceV1;
  readonly variables: TerraformVariable[] = [];

  constructor(scope: Construct, id: string, props: LayerReleaseProps) {
    super(scope, id);
    const namespaceName = props.namespace ?? "layer";
    // The chart renders its own Namespace: with create_namespace the install fails on it
    // (helm/helm#11916), and without any namespace helm cannot store the release record.
    // Created first with Helm's ownership metadata, the release adopts it.
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: namespaceName, labels: props.namespaceMetadata.labels, annotations: props.namespaceMetadata.annotations },
      lifecycle: { ignoreChanges: ["metadata[0].labels", "metadata[0].annotations"] },
    });

    const stack = TerraformStack.of(this);
    // The helm provider parses set_wo with strvals.ParseIntoString (its applySetValue), like --set-string:
    // a comma or backslash in a secret must be escaped.
    // The arguments are HCL string literals, where a backslash is written twice.
    const escaped = (value: string) => Fn.replace(Fn.replace(value, "\\\\", "\\\\\\\\"), ",", "\\\\,");
    const writeOnly = (props.writeOnlyValues ?? []).map((secret) => ({
      name: secret.valuesPath,
      value: escaped(this.secretValue(stack, secret)),
      type: "string",
    }));

    const chart = props.chart;
    const chartRef = "path" in chart ? [chart.path] : [chart.repository, chart.chart, chart.version];
    // helm provider 3.1.1 drops write-only values on an update without a revision bump
    // (hashicorp/terraform-provider-helm#1753): the revision follows values and chart.
    const revision = valuesRevision([props.valuesYaml, ...chartRef]) + (props.secretsRevision ?? 1);
    this.release = new Release(this, "default", {
      name: props.releaseName ?? "layer",
      namespace: namespaceName,
      createNamespace: false,
      ...("path" in chart ? { chart: chart.path } : { repository: chart.repository, chart: chart.chart, version: chart.version }),
      values: [props.valuesYaml],
      ...(writeOnly.length > 0 ? { setWo: writeOnly, setWoRevision: revision } : {}),
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 900,
      maxHistory: 10,
      dependsOn: [this.namespace, ...(props.dependsOn ?? [])],
    });
  }

  private secretValue(stack: TerraformStack, secret: WriteOnlyValue): string {
    if (secret.secretsManagerName) {
      // cdktf 0.21 has no construct for `ephemeral` blocks (Terraform >= 1.10): raw JSON.
      const name = secret.id!.replace(/-/g, "_");
      stack.addOverride(`ephemeral.aws_secretsmanager_secret_version.${name}`, { secret_id: secret.secretsManagerName });
      // A reference, not a "${...}" string: inside Fn.replace a string is a literal, written with `$${`,
      // and the chart would receive the text of the reference instead of the secret.
      return Token.asString(ref(`ephemeral.aws_secretsmanager_secret_version.${name}.secret_string`, stack));
    }
    const variable = new TerraformVariable(this, secret.variable!, {
      type: "string",
      sensitive: true,
      nullable: false,
      description: `${secret.description}. Set TF_VAR_${secret.variable} at plan and apply; never stored (ephemeral).`,
    });
    variable.overrideLogicalId(secret.variable!);
    // cdktf 0.21 has no `ephemeral` property (Terraform >= 1.10 feature).
    variable.addOverride("ephemeral", true);
    this.variables.push(variable);
    return variable.stringValue;
  }

  /** Makes the release wait for another resource (an add-on created later). */
  addDependency(other: ITerraformDependable): void {
    this.release.dependsOn = [...(this.release.dependsOn ?? []), dependable(other)];
  }
}

/** A number that changes with every input: the first 32 bits of their SHA-256. */
export function valuesRevision(inputs: readonly string[]): number {
  return parseInt(createHash("sha256").update(inputs.join("\n")).digest("hex").slice(0, 8), 16);
}
