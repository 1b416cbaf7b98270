/** EKS managed add-ons' pods: documented defaults, with configuration_values applied. */
import { managedAddonObjects } from "../../simulation/managed-addons";

const addon = (name: string, configuration?: unknown) => ({
  resource: {
    aws_eks_addon: {
      [name.replace(/-/g, "_")]: {
        addon_name: name,
        ...(configuration === undefined ? {} : { configuration_values: typeof configuration === "string" ? configuration : JSON.stringify(configuration) }),
      },
    },
  },
});

test("CoreDNS: two replicas requesting 100m / 70Mi, tolerating only CriticalAddonsOnly and the control plane", () => {
  const [coredns] = managedAddonObjects(addon("coredns")).objects;
  expect(coredns.object.spec.replicas).toBe(2);
  expect(coredns.object.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: "100m", memory: "70Mi" } });
  expect(coredns.object.spec.template.spec.tolerations).toEqual([
    { key: "CriticalAddonsOnly", operator: "Exists" },
    { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
  ]);
});

test("configuration_values replace tolerations, node selector, replicas and resources", () => {
  const tolerations = [{ key: "layer.hev.dev/node-role", operator: "Equal", value: "system", effect: "NoSchedule" }];
  const [coredns] = managedAddonObjects(
    addon("coredns", { replicaCount: 1, tolerations, nodeSelector: { a: "b" }, resources: { requests: { cpu: "50m" } } }),
  ).objects;
  expect(coredns.object.spec.replicas).toBe(1);
  expect(coredns.object.spec.template.spec).toMatchObject({ tolerations, nodeSelector: { a: "b" }, containers: [{ resources: { requests: { cpu: "50m" } } }] });
  const [controller, node] = managedAddonObjects(addon("aws-efs-csi-driver", { controller: { tolerations } })).objects;
  expect(controller.object.spec.template.spec.tolerations).toEqual(tolerations);
  expect(node.object.spec.template.spec.tolerations).toEqual([{ operator: "Exists" }]);
});

test("a Terraform expression in configuration_values is reported, not silently ignored", () => {
  const result = managedAddonObjects(addon("coredns", '${jsonencode({"replicaCount" = 1})}'));
  expect(result.unreadableConfiguration).toEqual(["coredns"]);
  expect(result.objects[0].object.spec.replicas).toBe(2);
});

test("an add-on without documented defaults is named", () => {
  expect(managedAddonObjects(addon("aws-ebs-csi-driver")).unknownAddons).toEqual(["aws-ebs-csi-driver"]);
});
