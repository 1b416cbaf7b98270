export * from "../../scripts/lib/helm-stub";
