import { Construct } from "constructs";
import { ITerraformDependable, TerraformVariable, dependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";

/** Where the chart comes from: a local directory or an OCI repository with an exact version. */
export type LayerChart =
  | { readonly path: string }
  | { readonly repository: string; readonly chart: string; readonly version: string };

/** A secret passed to the chart as a write-only value. */
export interface WriteOnlyValue {
  /** Helm value path, e.g. `vectorStore.credential.apiKey`. */
  readonly valuesPath: string;
  /** Name of the ephemeral, sensitive Terraform variable that feeds it (`TF_VAR_<name>`). */
  readonly variable: string;
  readonly description: string;
}

export interface LayerReleaseProps {
  /** The product chart. A local path is relative to the directory terraform runs in. */
  readonly chart: LayerChart;
  /** Complete values as one YAML document (no secrets). */
  readonly valuesYaml: string;
  /** @default "layer" */
  readonly releaseName?: string;
  /** Created with the release when missing. @default "layer" */
  readonly namespace?: string;
  /**
   * Secrets passed with `set_wo` from ephemeral variables: never in the plan
   * or the state (Terraform >= 1.11, helm provider >= 3.0).
   * @default none (the chart reads existing Secrets)
   */
  readonly writeOnlyValues?: WriteOnlyValue[];
  /** Bump to push new write-only values (`set_wo_revision`). @default 1 */
  readonly secretsRevision?: number;
  /** What must be ready first: the ingress controller, the worker pools. @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for the release to become ready. @default 900 */
  readonly timeoutSeconds?: number;
}

/**
 * hev layer's own chart (gateway, operator, document cache) as one Helm
 * release. Secrets reach it only as write-only values fed by ephemeral
 * variables (security-bar SEC-01..03) or as references to existing Secrets.
 */
export class LayerRelease extends Construct {
  readonly release: Release;
  readonly variables: TerraformVariable[];

  constructor(scope: Construct, id: string, props: LayerReleaseProps) {
    super(scope, id);
    this.variables = (props.writeOnlyValues ?? []).map((secret) => {
      const variable = new TerraformVariable(this, secret.variable, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `${secret.description}. Set TF_VAR_${secret.variable} at plan and apply; never stored (ephemeral).`,
      });
      variable.overrideLogicalId(secret.variable);
      // cdktf 0.21 has no `ephemeral` property (Terraform >= 1.10 feature).
      variable.addOverride("ephemeral", true);
      return variable;
    });

    const chart = props.chart;
    const writeOnly = props.writeOnlyValues ?? [];
    this.release = new Release(this, "default", {
      name: props.releaseName ?? "layer",
      namespace: props.namespace ?? "layer",
      createNamespace: true,
      ...("path" in chart ? { chart: chart.path } : { repository: chart.repository, chart: chart.chart, version: chart.version }),
      values: [props.valuesYaml],
      ...(writeOnly.length > 0
        ? {
            setWo: writeOnly.map((secret, i) => ({ name: secret.valuesPath, value: this.variables[i].stringValue, type: "string" })),
            setWoRevision: props.secretsRevision ?? 1,
          }
        : {}),
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 900,
      maxHistory: 10,
      ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: props.dependsOn } : {}),
    });
  }

  /** Makes the release wait for another resource (an add-on created later). */
  addDependency(other: ITerraformDependable): void {
    this.release.dependsOn = [...(this.release.dependsOn ?? []), dependable(other)];
  }
}
