/** Defaults of the `efs` section (config/schema.ts reads them). Pure data, no imports. */
export const EFS_DEFAULTS = {
  throughputMode: "elastic",
  storageClassName: "efs-sc",
} as const;
