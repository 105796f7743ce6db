import { readSynthesizedApp, type StackJson } from "./config";
import { fixtureOutdir } from "./fixtures";

/**
 * The `terraform-cloud-managed` fixture (helpers/terraform-cloud-config.ts) as Terraform sees it, synthesized once
 * for terraform-cloud.test.ts and terraform-cloud-credentials.test.ts, and lookups into its terraform-cloud stack.
 */

export const LAYERS = ["foundation", "network", "storage", "operators"] as const;
export const LATER = LAYERS.slice(1);

let read: ReturnType<typeof readSynthesizedApp> | undefined;
const app = () => (read ??= readSynthesizedApp(fixtureOutdir("terraform-cloud-managed")));

export const synthesized = {
  get manifest(): StackJson {
    return app().manifest;
  },
  /** A stack's JSON; fails the test naming a stack that was not synthesized. */
  stack(name: string): StackJson {
    const json = app().stacks.get(name);
    if (!json) throw new Error(`stack ${name} was not synthesized`);
    return json;
  },
};

export const tfc = (): StackJson => synthesized.stack("terraform-cloud");

export const resourceOf = (type: string, name: string): StackJson => {
  const body = tfc().resource?.[type]?.[name];
  if (!body) throw new Error(`terraform-cloud has no ${type}.${name}`);
  return body;
};
