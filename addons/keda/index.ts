import type { ClusterAddon } from "../addon";
import { Keda } from "./helm";
import { KEDA_CATALOG } from "./catalog";

/** KEDA: Helm only (it needs no AWS permissions). */
export const KEDA: ClusterAddon<never, Keda> = {
  catalog: KEDA_CATALOG,

  helm({ stack, env, ready, releaseDependencies }) {
    // The chart creates Services: installed once the load balancer controller's Service webhook answers.
    const keda = new Keda(stack, "keda", { chartVersion: env.keda.chartVersion, dependsOn: ready.serviceWebhook ? [ready.serviceWebhook] : [] });
    // The product release's ScaledObjects need KEDA's CRDs.
    releaseDependencies.push(keda.release);
    return keda;
  },
};
