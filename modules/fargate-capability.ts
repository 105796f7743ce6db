import type { EksFargateProfile } from "@cdktf/provider-aws/lib/eks-fargate-profile";
import { defineCapability } from "./engine/capabilities";

/** Plain data (declarations read it without loading cdktf): the capability and the spec a profile is asked with. */

/** One Fargate profile: a namespace and, optionally, the pod labels it is limited to. */
export interface FargateProfileSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
}

/** Fargate profiles on request, for add-ons whose pods must run before any EC2 node exists (the foundation layer's). */
export interface FargateProfiles {
  profile(spec: FargateProfileSpec): EksFargateProfile;
}

export const FARGATE_PROFILES = defineCapability<FargateProfiles>("Fargate profiles (pods that run before any node)");
