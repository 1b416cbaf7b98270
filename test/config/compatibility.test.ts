/**
 * The project's compatibility tables (config/compatibility.ts) and the synth
 * rules built on them: an AMI alias that does not resolve for the cluster's
 * minor, or a chart version upstream does not support on it, stops synth.
 * The tables themselves are checked against the reference data.
 */
import * as fs from "node:fs";
import { AL2023_AMI_RELEASES, CHART_SUPPORT, ChartComponent, amiAliasProblem, chartSupports } from "../../config/compatibility";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../config/kubernetes-versions";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, exampleEnvironmentNames, exampleEnvironment } from "../helpers/synth";
import { errorOf } from "../helpers/config-error";
import { describeWithReference } from "../helpers/reference";

const withAlias = (alias: string, version = "1.35") => `${MINIMAL_ENVIRONMENT}cluster:\n  kubernetesVersion: "${version}"\nkarpenter:\n  amiAlias: ${alias}\n`;

describe("karpenter.amiAlias must name a release that ships the cluster's Kubernetes minor", () => {
  test("a release that does not exist is refused, naming the nearest releases with that minor", () => {
    const e = errorOf(() => environmentFromYaml(withAlias("al2023@v20251117", "1.34"), "ami"));
    expect(e.message).toContain(
      'environments/ami.yaml: karpenter.amiAlias: found "al2023@v20251117"; expected an AL2023 AMI release that ships Kubernetes 1.34',
    );
    expect(e.message).toContain("nearest: al2023@v20251112 or al2023@v20251120");
    expect(e.message).toContain("v20251117 is not an Amazon EKS AMI release");
  });

  test("an existing release without the cluster's minor is refused (1.35 first ships in v20260114)", () => {
    const e = errorOf(() => environmentFromYaml(withAlias("al2023@v20260107"), "ami"));
    expect(e.message).toContain("karpenter.amiAlias");
    expect(e.message).toContain("nearest: al2023@v20260114");
    expect(e.message).toContain("v20260107 ships Kubernetes 1.29 to 1.34, not 1.35");
  });

  test("an abandoned release is refused", () => {
    expect(errorOf(() => environmentFromYaml(withAlias("al2023@v20260311"), "ami")).message).toContain("v20260311 is not an Amazon EKS AMI release");
  });

  test("a release with the minor, and the floating alias, pass", () => {
    expect(environmentFromYaml(withAlias("al2023@v20260114")).karpenter.amiAlias).toBe("al2023@v20260114");
    expect(environmentFromYaml(withAlias("al2023@v20250915", "1.34")).karpenter.amiAlias).toBe("al2023@v20250915");
    expect(environmentFromYaml(withAlias("al2023@latest")).karpenter.amiAlias).toBe("al2023@latest");
  });

  test("without Karpenter the alias is not used and not checked", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  enabled: false\n  amiAlias: al2023@v20251117\n`);
    expect(env.karpenter.enabled).toBe(false);
  });

  test("every example environment's pinned alias resolves", () => {
    for (const name of exampleEnvironmentNames()) {
      const env = exampleEnvironment(name);
      expect({ name, problem: amiAliasProblem(env.karpenter.amiAlias, env.cluster.kubernetesVersion) }).toEqual({ name, problem: undefined });
    }
  });
});

describe("every pinned chart must support the cluster's Kubernetes minor", () => {
  test("KEDA 2.17.2 on Kubernetes 1.35 is refused, naming the 2.20 line", () => {
    const e = errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}keda:\n  chartVersion: 2.17.2\n`, "keda"));
    expect(e.message).toContain('environments/keda.yaml: keda.chartVersion: found "2.17.2"; expected a version of KEDA that supports Kubernetes 1.35');
    expect(e.message).toContain("2.20.0 up to (not including) 2.21.0");
    expect(e.message).toContain("2.17.2 supports Kubernetes 1.30 to 1.32");
  });

  test("the same KEDA version passes on the minor it was tested with", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n  kubernetesVersion: "1.32"\nkeda:\n  chartVersion: 2.17.2\n`);
    expect(env.keda.chartVersion).toBe("2.17.2");
  });

  test("KEDA's default is 2.20.2, and a KEDA that is not installed is not checked", () => {
    expect(environmentFromYaml(MINIMAL_ENVIRONMENT).keda.chartVersion).toBe("2.20.2");
    expect(environmentFromYaml(`${MINIMAL_ENVIRONMENT}keda:\n  enabled: false\n  chartVersion: 2.17.2\n`).keda.enabled).toBe(false);
  });

  test("a default that does not fit the cluster's minor names the file that pins it, not only the environment", () => {
    const e = errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n  kubernetesVersion: "1.32"\n`, "k"));
    expect(e.message).toContain('keda.chartVersion: found "2.20.2"');
    expect(e.message).toContain("(2.20.2 is the default pinned in addons/keda/defaults.ts; the support table is config/compatibility.ts)");
  });

  test("a Karpenter older than the minor's first supported line is refused", () => {
    const e = errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  chartVersion: 1.8.2\n`, "k"));
    expect(e.message).toContain('karpenter.chartVersion: found "1.8.2"; expected a version of Karpenter that supports Kubernetes 1.35');
    // A version the file sets itself is the file's to change.
    expect(e.message).not.toContain("defaults.ts");
  });

  test("a chart version newer than the table knows is refused until a row is added", () => {
    const e = errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  chartVersion: 1.15.0\n`, "k"));
    expect(e.message).toContain("1.15.0 is not in this project's support table");
  });

  test("external-dns older than 0.18 is refused from Kubernetes 1.33 on, only when DNS is managed", () => {
    const dns =
      "dns:\n  managePublicDns: true\n  zoneName: example.com\n  zoneId: Z0123456789ABCDEFGHIJ\n  gatewayHost: layer.example.com\n  externalDnsChartVersion: 1.17.0\n";
    expect(errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}${dns}`, "d")).message).toContain("dns.externalDnsChartVersion");
    expect(environmentFromYaml(`${MINIMAL_ENVIRONMENT}dns:\n  externalDnsChartVersion: 1.17.0\n`).dns.externalDnsChartVersion).toBe("1.17.0");
  });

  test("every example environment's charts are supported", () => {
    for (const name of exampleEnvironmentNames()) expect(() => exampleEnvironment(name)).not.toThrow();
  });
});

describeWithReference("the AMI release table agrees with the reference", "compat/eks-ami-releases.json", (file) => {
  const reference = JSON.parse(fs.readFileSync(file, "utf8"));
  const released = (reference.releases as any[]).filter((r) => r.status === "released");

  test("every released release is in the table with exactly its Kubernetes minors", () => {
    for (const r of released) {
      expect({ release: r.release, range: AL2023_AMI_RELEASES[r.release] }).toEqual({
        release: r.release,
        range: [r.kubernetes[0], r.kubernetes[r.kubernetes.length - 1]],
      });
    }
  });

  test("the table holds nothing else (no abandoned or unknown releases)", () => {
    expect(Object.keys(AL2023_AMI_RELEASES).sort()).toEqual(released.map((r) => r.release).sort());
  });

  test("the first release with each minor matches", () => {
    for (const [minor, first] of Object.entries(reference.first_release_with_kubernetes as Record<string, string>)) {
      const ours = Object.keys(AL2023_AMI_RELEASES)
        .sort()
        .find((r) => amiAliasProblem(`al2023@${r}`, minor) === undefined);
      expect({ minor, first: ours }).toEqual({ minor, first });
    }
  });
});

describeWithReference("the chart support table agrees with the reference", "compat/kubernetes-support.json", (file) => {
  const reference = JSON.parse(fs.readFileSync(file, "utf8"));
  const minors: string[] = reference.kubernetes_minors;

  test("the project accepts only Kubernetes minors the reference covers", () => {
    for (const v of SUPPORTED_KUBERNETES_VERSIONS) expect(minors).toContain(v);
  });

  test("Karpenter: every row matches the upstream matrix", () => {
    for (const row of reference.components.karpenter.matrix_1_x as Array<{ karpenter: string; min_kubernetes: string; max_kubernetes: string }>) {
      const version = row.karpenter.replace(".x", ".0");
      if (row.karpenter === "1.0.5" || /^1\.[01]\./.test(version)) continue; // older than any row: refused everywhere
      for (const minor of minors) {
        const m = Number(minor.split(".")[1]);
        const expected = Number(row.min_kubernetes.split(".")[1]) <= m && m <= Number(row.max_kubernetes.split(".")[1]);
        expect({ version, minor, ok: chartSupports("karpenter", version, minor) }).toEqual({ version, minor, ok: expected });
      }
    }
  });

  test("KEDA: every tested line matches, and an untested line is refused", () => {
    for (const [line, tested] of Object.entries(reference.components.keda.tested_matrix as Record<string, string>)) {
      const version = `${line.slice(1)}.0`;
      const range = /^v(\d+\.\d+) - v(\d+\.\d+)$/.exec(tested);
      for (const minor of minors) {
        const m = Number(minor.split(".")[1]);
        const expected = range ? Number(range[1].split(".")[1]) <= m && m <= Number(range[2].split(".")[1]) : false;
        expect({ version, minor, ok: chartSupports("keda", version, minor) }).toEqual({ version, minor, ok: expected });
      }
    }
  });

  test("the reference charts' verdicts per minor agree with the table", () => {
    const charts: Record<string, ChartComponent> = {
      karpenter: "karpenter",
      keda: "keda",
      "external-dns": "externalDns",
      "external-secrets": "externalSecrets",
    };
    const positive = /^(supported|tested|listed)/;
    let compared = 0;
    for (const [name, verdicts] of Object.entries(reference.reference_charts as Record<string, Record<string, string>>)) {
      const m = /^(.*)-(\d+\.\d+\.\d+)$/.exec(name)!;
      const component = charts[m[1]];
      if (!component) continue; // only minimums documented (load balancer controller, NVIDIA): no maximum to compare
      for (const minor of minors) {
        expect({ name, minor, ok: chartSupports(component, m[2], minor) }).toEqual({ name, minor, ok: positive.test(verdicts[minor]) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });

  test("KEDA 2.20.2, the default, is in the line upstream tests with Kubernetes 1.35", () => {
    expect(reference.components.keda.by_kubernetes["1.35"]).toContain("v2.20");
    expect(chartSupports("keda", "2.20.2", "1.35")).toBe(true);
  });

  test("every table row names its source", () => {
    for (const support of Object.values(CHART_SUPPORT)) expect(support.source).toMatch(/https?:\/\/|[0-9a-f]{12}|Chart\.yaml/);
  });
});
