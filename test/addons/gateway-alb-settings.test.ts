/**
 * The gateway ALB's TLS policy, attributes and WAF live on the `alb`
 * IngressClass's IngressClassParams, because the product chart's Ingress
 * renders fixed annotations only. Rendered with the real load balancer
 * controller chart, validated against its CRD, and referenced by the class.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { describeWithReference } from "../helpers/reference";
import { loadCrdValidator } from "../helpers/crd-validator";

const lbcValues = (name: string) => parse(resourcesOfType(synthExample(name).helm, "helm_release").load_balancer_controller.values[0]);

test("prod (internet-facing, protected): TLS 1.3, header and desync protection, deletion protection and access logs", () => {
  expect(lbcValues("prod").ingressClassParams).toEqual({
    create: true,
    spec: {
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      loadBalancerAttributes: [
        { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
        { key: "routing.http.desync_mitigation_mode", value: "defensive" },
        { key: "deletion_protection.enabled", value: "true" },
        { key: "access_logs.s3.enabled", value: "true" },
        { key: "access_logs.s3.bucket", value: "acme-alb-access-logs-eu-west-1" },
        { key: "access_logs.s3.prefix", value: "alb/prod" },
      ],
    },
  });
});

test("dev (no ingress): the class keeps the controller's defaults", () => {
  expect(lbcValues("dev").ingressClassParams).toBeUndefined();
});

const helm = findHelm();
if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm checks skipped: ${helm.skip}`, () => undefined);
} else {
  describeWithReference("the load balancer controller chart renders them", "charts/aws-load-balancer-controller-3.5.0/Chart.yaml", (chartFile) => {
    const chart = path.dirname(chartFile);
    test("an IngressClassParams the CRD accepts, referenced by the alb IngressClass", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-lbc-"));
      try {
        const values = lbcValues("prod");
        values.vpcId = "vpc-0123456789abcdef0";
        fs.writeFileSync(path.join(dir, "values.yaml"), JSON.stringify(values));
        const run = runHelm(helm, ["template", "aws-load-balancer-controller", chart, "--namespace", "kube-system", "-f", path.join(dir, "values.yaml")]);
        expect(run.stderr).toBe("");
        const objects = parseAllDocuments(run.stdout)
          .map((d) => d.toJS())
          .filter(Boolean)
          .flatMap((o: any) => (o.kind === "List" ? o.items : [o]));
        const params = objects.find((o: any) => o.kind === "IngressClassParams");
        const ingressClass = objects.find((o: any) => o.kind === "IngressClass");
        expect(ingressClass.spec.parameters).toEqual({ apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: params.metadata.name });
        const crds = fs
          .readFileSync(path.join(chart, "crds/crds.yaml"), "utf8")
          .split(/^---$/m)
          .filter((d) => /kind: IngressClassParams\b/.test(d) && d.includes("CustomResourceDefinition"));
        const file = path.join(dir, "crd.yaml");
        fs.writeFileSync(file, crds[0]);
        const validator = loadCrdValidator(file, "v1beta1");
        expect(validator.validate(params)).toEqual([]);
        // The check can fail: a misspelt field is reported.
        expect(validator.validate({ ...params, spec: { ...params.spec, sslPolicyy: "x" } }).join("\n")).toMatch(/sslPolicyy/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
