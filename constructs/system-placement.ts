/**
 * The label the system node group carries. Cluster add-ons select it so they
 * run on the always-on i4i.large nodes, never on scale-to-zero worker pools.
 */
export const NODE_ROLE_LABEL = "layer.hev.dev/node-role";
export const SYSTEM_NODE_SELECTOR = { [NODE_ROLE_LABEL]: "system" } as const;
