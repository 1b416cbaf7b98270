/**
 * EDGE-04/05 judge the ALB settings on the `alb` IngressClassParams too: the
 * product chart's Ingress takes its TLS policy and attributes from there.
 */
import { auditProject } from "../../audit/project";
import { PROJECT_ROOT, synthExample } from "../helpers/synth";
import { EDGE_RULES, albAnnotations } from "../../audit/rules/edge";

test("prod: the class settings are found and pass EDGE-04 and EDGE-05", async () => {
  const result = await auditProject([{ env: synthExample("prod").env, stacks: synthExample("prod") }], { projectRoot: PROJECT_ROOT });
  const results = result.environments[0].audit.results;
  for (const id of ["EDGE-04", "EDGE-05"]) {
    const rule = results.find((r) => r.rule.id === id)!;
    expect({ id, status: rule.status }).toEqual({ id, status: "passed" });
    expect(rule.passed.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^ingressClassParams.spec: /)]));
  }
});

test("the check can fail: a weak policy or missing attributes on the class are reported", async () => {
  const ctx: any = {
    env: { protected: true },
    resources: (type: string) =>
      type === "helm_release"
        ? [
            {
              address: "helm_release.load_balancer_controller",
              stack: "helm",
              body: { values: ["ingressClassParams:\n  spec:\n    sslPolicy: ELBSecurityPolicy-2016-08\n    loadBalancerAttributes: []\n"] },
            },
          ]
        : [],
  };
  const found = albAnnotations(ctx);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ source: "class", annotations: { "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-2016-08" } });
  const findings = async (id: string) => (await EDGE_RULES.find((r) => r.id === id)!.check(ctx)).map((f: any) => `${f.status ?? ""} ${f.message}`);
  expect((await findings("EDGE-04")).join("\n")).toMatch(/ssl-policy is "ELBSecurityPolicy-2016-08"/);
  expect((await findings("EDGE-05")).join("\n")).toMatch(/drop_invalid_header_fields is not enabled/);
  // EDGE-03 (listeners, certificate) is an Ingress's own business: the class spec is not judged by it.
  expect(await findings("EDGE-03")).toEqual([]);
});
