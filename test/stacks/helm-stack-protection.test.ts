/**
 * A protected environment's Helm stack refuses destroy as its AWS stack does:
 * every release and Kubernetes resource carries `prevent_destroy`, so a plain
 * `cdktf destroy layer-<env>-helm` stops before anything is removed.
 */
import { Testing } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { addEnvironment } from "../../stacks/environment-stacks";
import { StackJson, synthExample } from "../helpers/synth";

/** `type.name` → whether it has prevent_destroy, for every helm_* and kubernetes_* resource. */
function protection(stack: StackJson): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    if (!/^(helm|kubernetes)_/.test(type)) continue;
    for (const [name, body] of Object.entries<any>(byName)) out[`${type}.${name}`] = body.lifecycle?.prevent_destroy === true;
  }
  return out;
}

test("prod (protected): every release and Kubernetes resource of the Helm stack has prevent_destroy", () => {
  const resources = protection(synthExample("prod").helm);
  expect(Object.keys(resources)).toEqual(
    expect.arrayContaining(["helm_release.layer_release", "helm_release.load_balancer_controller", "kubernetes_storage_class_v1.efs_storage_class"]),
  );
  expect(Object.entries(resources).filter(([, p]) => !p)).toEqual([]);
});

test("dev (unprotected): none has it, so the teardown can remove them", () => {
  const resources = protection(synthExample("dev").helm);
  expect(Object.keys(resources).length).toBeGreaterThan(5);
  expect(Object.entries(resources).filter(([, p]) => p)).toEqual([]);
});

test("a release added to a protected Helm stack later is protected too", () => {
  const app = Testing.app();
  const { helm } = addEnvironment(app, synthExample("prod").env);
  new Release(helm, "late-release", { name: "late", chart: "x" });
  const synthesized = JSON.parse(Testing.synth(helm, true));
  expect(synthesized.resource.helm_release.late_release.lifecycle).toEqual({ prevent_destroy: true });
});
