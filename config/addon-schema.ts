/**
 * The cluster add-on sections of the environment file (`karpenter`,
 * `loadBalancerController`, `efs`, `keda`): each add-on's switch, pinned chart
 * version and sizing. `config/schema.ts` places them in the file's layout.
 */
import { z } from "zod";
import { chartVersion, disruptionBudget, instanceFamily } from "./fields";
// Each add-on keeps its defaults (pinned chart versions, pool sizes) in its own folder.
import { KARPENTER_DEFAULTS } from "../addons/karpenter/defaults";
import { WORKER_POOL_DEFAULTS } from "../addons/worker-pools/defaults";
import { LOAD_BALANCER_CONTROLLER_DEFAULTS } from "../addons/load-balancer-controller/defaults";
import { EFS_DEFAULTS } from "../addons/efs/defaults";
import { KEDA_DEFAULTS } from "../addons/keda/defaults";

const PoolSchema = (defaults: {
  readonly families: readonly string[];
  readonly cpuLimit: number;
  readonly memoryGiBLimit: number;
  readonly gpuLimit?: number;
}) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      instanceFamilies: z
        .array(instanceFamily)
        .min(1)
        .default([...defaults.families]),
      capacityTypes: z
        .array(z.enum(["on-demand", "spot"]))
        .min(1)
        .default(["on-demand", "spot"]),
      limits: z
        .strictObject({
          cpu: z.number().int().min(1).default(defaults.cpuLimit),
          memoryGiB: z.number().int().min(1).default(defaults.memoryGiBLimit),
          gpu: defaults.gpuLimit === undefined ? z.number().int().min(0).optional() : z.number().int().min(1).default(defaults.gpuLimit),
        })
        .prefault({}),
      consolidateAfter: z
        .string()
        .regex(/^\d+(s|m|h)$/)
        .default("5m"),
      consolidationPolicy: z.enum(["WhenEmpty", "WhenEmptyOrUnderutilized"]).default("WhenEmptyOrUnderutilized"),
      disruptionBudget: disruptionBudget.default("10%"),
      expireAfter: z
        .string()
        .regex(/^(\d+h|Never)$/)
        .default("720h"),
    })
    .prefault({});

/** Cluster add-ons: on in fresh-cluster mode, off unless set in existing-cluster mode, refused in helm-only mode. */
const addonEnabled = z
  .boolean()
  .optional()
  .describe("Default: true in fresh-cluster mode, false in existing-cluster mode (the platform team may already run it); helm-only mode cannot enable it.");

export const KarpenterSchema = z
  .strictObject({
    enabled: addonEnabled,
    chartVersion: chartVersion.default(KARPENTER_DEFAULTS.chartVersion),
    controllerReplicas: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Default min(2, cluster.systemNodeGroup.minSize): one controller per always-on system node, so none stays Pending."),
    amiAlias: z
      .string()
      .regex(/^(al2023|bottlerocket)@(latest|v\d{8}|v\d+\.\d+\.\d+)$/, {
        error: "expected an EC2NodeClass AMI alias such as al2023@v20260714 or al2023@latest",
      })
      .default("al2023@latest")
      .describe(
        "Protected environments must pin a dated alias (al2023@vYYYYMMDD): an Amazon EKS AMI release that ships the cluster's Kubernetes minor (config/compatibility.ts).",
      ),
    workerCpu: PoolSchema(WORKER_POOL_DEFAULTS.workerCpu),
    workerGpu: PoolSchema(WORKER_POOL_DEFAULTS.workerGpu),
    documentCache: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Dedicated `document-cache` pool on NVMe instances instead of the system node group."),
        instanceFamilies: z
          .array(instanceFamily)
          .min(1)
          .default([...WORKER_POOL_DEFAULTS.documentCache.families]),
        limits: z
          .strictObject({
            cpu: z.number().int().min(1).default(WORKER_POOL_DEFAULTS.documentCache.cpuLimit),
            memoryGiB: z.number().int().min(1).default(WORKER_POOL_DEFAULTS.documentCache.memoryGiBLimit),
          })
          .prefault({}),
      })
      .prefault({}),
    spotServiceLinkedRole: z
      .enum(["create", "exists"])
      .default("create")
      .describe(
        "EC2 Spot needs the account-wide service-linked role AWSServiceRoleForEC2Spot before Karpenter can launch spot capacity. create: this environment's AWS stack creates it; exists: the account already has it (`aws iam get-role --role-name AWSServiceRoleForEC2Spot` finds it, or another environment in the account creates it). Only used when a pool allows spot.",
      ),
    nvidiaDevicePluginChartVersion: chartVersion
      .default(WORKER_POOL_DEFAULTS.nvidiaDevicePluginChartVersion)
      .describe("NVIDIA device plugin chart (https://nvidia.github.io/k8s-device-plugin), installed with the GPU pool."),
  })
  .prefault({});

export const LoadBalancerControllerSchema = z
  .strictObject({
    enabled: addonEnabled,
    chartVersion: chartVersion.default(LOAD_BALANCER_CONTROLLER_DEFAULTS.chartVersion),
    replicas: z.number().int().min(1).optional().describe("Default min(2, cluster.systemNodeGroup.minSize)."),
  })
  .prefault({});

export const EfsSchema = z
  .strictObject({
    enabled: addonEnabled,
    throughputMode: z.enum(["bursting", "elastic"]).default(EFS_DEFAULTS.throughputMode),
    storageClassName: z
      .string()
      .max(253, { error: "expected a Kubernetes object name of at most 253 characters" })
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "expected a Kubernetes object name such as efs-sc" })
      .default(EFS_DEFAULTS.storageClassName),
  })
  .prefault({});

export const KedaSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe("Default on for fresh clusters, off otherwise (an existing cluster usually runs its own KEDA)."),
    chartVersion: chartVersion
      .default(KEDA_DEFAULTS.chartVersion)
      .describe("KEDA chart (https://kedacore.github.io/charts); 2.20 is the line tested with Kubernetes 1.33-1.35."),
  })
  .prefault({});
