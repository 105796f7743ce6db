import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";

/** kube-proxy: Service networking on every node; its version follows the cluster's minor version. */
export const kubeProxy = defineAddon({
  name: "kube-proxy",
  description: "Service routing on every node",
  layer: "foundation",
  namespace: "kube-system",
  runsOn: "every-node",
  // A node agent: kube-proxy programs the node's iptables/IPVS rules from the host network, privileged, with
  // host paths (/lib/modules, the xtables lock). In kube-system, which stays privileged.
  podSecurity: { level: "privileged", reason: "node agent: host network, privileged container, host paths" },
  defaultDelivery: "eks-addon",
  deliveries: [{ kind: "eks-addon", addonName: "kube-proxy", pins: PINS["kube-proxy"].eksAddon }],
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html",
});
