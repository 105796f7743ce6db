import type { AddonDefinition } from "../engine/types";
import { awsEbsCsiDriver } from "./aws-ebs-csi-driver";
import { awsEfsCsiDriver } from "./aws-efs-csi-driver";
import { awsLoadBalancerController } from "./aws-load-balancer-controller";
import { certManager } from "./cert-manager";
import { coredns } from "./coredns";
import { echoServer } from "./echo-server";
import { eksPodIdentityAgent } from "./eks-pod-identity-agent";
import { externalDns } from "./external-dns";
import { externalSecrets } from "./external-secrets";
import { karpenter } from "./karpenter";
import { kubeProxy } from "./kube-proxy";
import { metricsServer } from "./metrics-server";
import { reloader } from "./reloader";
import { vpcCni } from "./vpc-cni";

/**
 * Every add-on the platform knows, in install order within a layer. Registering an add-on is one import and
 * one entry here; the engine, the config schema (`addons.<name>`) and the report pick it up.
 */
const CATALOG = [
  // foundation
  vpcCni,
  kubeProxy,
  coredns,
  eksPodIdentityAgent,
  karpenter,
  metricsServer,
  reloader,
  // network
  certManager,
  awsLoadBalancerController,
  externalDns,
  echoServer,
  // storage
  awsEfsCsiDriver,
  awsEbsCsiDriver,
  // operators
  externalSecrets,
] as const satisfies ReadonlyArray<AddonDefinition>;

export const ADDONS: ReadonlyArray<AddonDefinition> = CATALOG;

/** The catalog's add-on names as literal types (`addons.<name>` in a typed config): an entry above adds its name. */
export type AddonName = (typeof CATALOG)[number]["name"];
