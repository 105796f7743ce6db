import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";

/** The node agent that hands EKS Pod Identity credentials to pods (not on Fargate, where IRSA is used). */
export const eksPodIdentityAgent = defineAddon({
  name: "eks-pod-identity-agent",
  description: "Serves EKS Pod Identity credentials on every node",
  layer: "foundation",
  namespace: "kube-system",
  runsOn: "every-node",
  // A node agent: serves credentials on the link-local 169.254.170.23 from the host network, with an init
  // container that sets the address up (NET_ADMIN). In kube-system, which stays privileged.
  podSecurity: { level: "privileged", reason: "node agent: host network, NET_ADMIN to set up its link-local address" },
  defaultDelivery: "eks-addon",
  deliveries: [
    { kind: "eks-addon", addonName: "eks-pod-identity-agent", pins: PINS["eks-pod-identity-agent"].eksAddon },
  ],
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html",
});
