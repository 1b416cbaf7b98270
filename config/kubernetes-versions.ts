/**
 * Kubernetes minor versions this project accepts for a new or existing EKS cluster.
 * Kept to versions in EKS standard or extended support that Karpenter 1.14 supports;
 * see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34", "1.35"] as const;

/** The newest version in EKS standard support when this list was last reviewed. */
export const DEFAULT_KUBERNETES_VERSION = "1.35";
