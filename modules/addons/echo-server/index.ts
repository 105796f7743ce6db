import { PINS } from "../../versions";
import { INGRESS_GROUP, awsLoadBalancerController } from "../aws-load-balancer-controller";
import { externalDns } from "../external-dns";
import { defineAddon } from "../../engine/types";
import { NAME } from "./settings";

export { echoHost } from "./settings";

/** Construct code, loaded only when the engine renders: the declaration itself loads without cdktf. */
const render = () => require("./render") as typeof import("./render");

/**
 * A tiny HTTP echo service behind the shared ALB: `curl https://echo.<domain>` after an apply is the smoke test
 * of the network layer. Non-root, read-only root file system, no service account token, requests and limits.
 */
export const echoServer = defineAddon({
  name: NAME,
  description: "Smoke test: https://echo.<domain> through the shared ALB",
  layer: "network",
  namespace: NAME,
  runsOn: "nodes",
  // Restricted: its own Deployment (render.ts) runs non-root 65532 with seccomp RuntimeDefault, no escalation,
  // ALL dropped, read-only root, no service account token.
  podSecurity: { level: "restricted" },
  defaultDelivery: "manifests",
  deliveries: [
    {
      kind: "manifests",
      pins: PINS["echo-server"].manifests,
      render: (scope, ctx, input) => render().renderEchoServer(scope, ctx, input),
    },
  ],
  dependsOn: [{ addon: awsLoadBalancerController, ready: true }, externalDns],
  // Joins the shared ALB: waits for the group's class, params and owner, and is destroyed before them.
  needs: [INGRESS_GROUP],
  docs: "https://github.com/Ealenn/Echo-Server",
});
