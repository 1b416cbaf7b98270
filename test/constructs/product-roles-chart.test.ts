/**
 * Every IRSA trust subject of the product roles is a ServiceAccount the real
 * product chart renders (namespace and name) from the names the release
 * passes, and every ServiceAccount the chart annotates with a role ARN points
 * at the role that trusts it. Rendered by the real helm binary.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { synthExample } from "../helpers/synth";
import { layerRelease, parsePolicy, resourcesOfType } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { describeWithReference } from "../helpers/reference";

/** `namespace/name` of each trust subject, by role name. */
function trustSubjects(aws: any): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, role] of Object.entries<any>(resourcesOfType(aws, "aws_iam_role"))) {
    if (!id.startsWith("product_roles_")) continue;
    const subjects = parsePolicy(role.assume_role_policy).Statement.flatMap((s: any) =>
      Object.entries<any>(s.Condition?.StringEquals ?? {})
        .filter(([key]) => key.endsWith(":sub"))
        .flatMap(([, value]) => [value].flat()),
    );
    out[role.name] = subjects.map((sub: string) => sub.replace(/^system:serviceaccount:/, "").replace(":", "/"));
  }
  return out;
}

/** Trust subjects the chart does not render, as `role: namespace/name`. */
function unrendered(subjects: Record<string, string[]>, rendered: string[]): string[] {
  return Object.entries(subjects).flatMap(([role, subs]) => subs.filter((s) => !rendered.includes(s)).map((s) => `${role}: ${s}`));
}

const helm = findHelm();
if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`product role trust against the chart skipped: ${helm.skip}`, () => undefined);
} else {
  describeWithReference("product role trust against the chart", "charts/hev-layer-0.1.0/Chart.yaml", (chartFile) => {
    const chart = path.dirname(chartFile);
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-trust-"));
    afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

    /** The ServiceAccounts the chart renders with the release's service-account values; the operator installed as the install guide does. */
    const renderedServiceAccounts = (name: string) => {
      const release = layerRelease(synthExample(name).helm);
      const values = parse(release.values[0]);
      const accounts = {
        serviceAccount: values.serviceAccount,
        dashboard: { serviceAccount: values.dashboard?.serviceAccount },
        operator: { enabled: true, image: "o:1", serviceAccount: values.operator?.serviceAccount },
      };
      const file = path.join(workdir, `${name}.yaml`);
      fs.writeFileSync(file, stringify(accounts));
      // Placeholders the chart requires to render at all; never real secrets.
      const sets = ["vectorStore.credential.apiKey=placeholder", "dashboard.basicAuth.user=admin", "dashboard.basicAuth.password=placeholder"].flatMap((v) => [
        "--set",
        v,
      ]);
      const result = runHelm(helm, ["template", release.name, chart, "--namespace", release.namespace, "-f", file, ...sets]);
      if (result.status !== 0) throw new Error(result.stderr);
      return parseAllDocuments(result.stdout)
        .map((d) => d.toJS())
        .filter((o) => o?.kind === "ServiceAccount")
        .map((o) => ({
          id: `${o.metadata.namespace}/${o.metadata.name}`,
          roleArn: o.metadata.annotations?.["eks.amazonaws.com/role-arn"] as string | undefined,
        }));
    };

    describe.each(["dev", "prod", "existing"])("%s", (name) => {
      const subjects = trustSubjects(synthExample(name).aws);
      const accounts = renderedServiceAccounts(name);

      test("the gateway, dashboard and operator roles each trust exactly one ServiceAccount, and the chart renders it", () => {
        expect(Object.keys(subjects)).toHaveLength(3);
        for (const [role, subs] of Object.entries(subjects)) expect({ role, subs: subs.length }).toEqual({ role, subs: 1 });
        expect(
          unrendered(
            subjects,
            accounts.map((a) => a.id),
          ),
        ).toEqual([]);
      });

      test("every ServiceAccount annotated with a role ARN is trusted by exactly that role", () => {
        const annotated = accounts.filter((a) => a.roleArn);
        expect(annotated.length).toBe(3);
        for (const account of annotated) {
          const roleName = account.roleArn!.split("/").pop()!;
          expect({ account: account.id, trustedBy: subjects[roleName] ?? [] }).toEqual({ account: account.id, trustedBy: [account.id] });
        }
      });
    });

    test("the check can fail: the operator role's former layer-worker subject is a ServiceAccount the chart never renders", () => {
      const rendered = renderedServiceAccounts("dev").map((a) => a.id);
      const planted = { ...trustSubjects(synthExample("dev").aws), "layer-dev-operator": ["layer/layer-operator", "layer/layer-worker"] };
      expect(unrendered(planted, rendered)).toEqual(["layer-dev-operator: layer/layer-worker"]);
    });
  });
}
