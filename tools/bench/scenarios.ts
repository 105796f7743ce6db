import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The benchmark's scenarios: each a whole child process synthesizing a config, the example or generated ones of
 * 1 to 200 environments, and optionally other runners (dist/, tsx, the cdktf CLI).
 */

/** One benchmarked command; `environments` says how many stacks it must write (four per environment). */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly command: ReadonlyArray<string>;
  readonly env?: Record<string, string>;
  readonly environments: number;
  /** Child processes are node too (the CLI): preload the probe through NODE_OPTIONS instead of the command line. */
  readonly probeViaNodeOptions?: boolean;
}

/** Which scenarios to run beside the default ones (`--cli`, `--runners`), or only some (`--only a,b`). */
export interface ScenarioChoice {
  readonly cli: boolean;
  readonly runners: boolean;
  readonly only?: ReadonlyArray<string>;
}

const ENVIRONMENT_COUNTS = [1, 5, 10, 20];
/** One environment at a time: a config this large, all validated, only the environment named built. */
export const SELECTION_ENVIRONMENTS = 200;
export const SELECTION_ID = `one-of-${SELECTION_ENVIRONMENTS}`;

/** A config with `count` environments that differ the way real ones do: name, account, region, VPC and subnets, DNS. */
export function generatedConfig(count: number): unknown {
  const regions = ["eu-west-1", "us-east-1", "eu-central-1", "us-west-2", "ap-southeast-2"];
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  const environments = Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    const name = `env${String(n).padStart(2, "0")}`;
    const account = String(100000000000 + n * 7919);
    return {
      name,
      account,
      region: regions[index % regions.length],
      vpc: {
        id: `vpc-0a1b2c3d4e5f${hex(n, 5)}`,
        privateSubnetIds: [1, 2, 3].map((az) => `subnet-0a1b2c${hex(n, 5)}${hex(az, 6)}`),
        publicSubnetIds: [1, 2, 3].map((az) => `subnet-0a1b2c${hex(n, 5)}${hex(az + 16, 6)}`),
      },
      dns: { domain: `${name}.example.com`, hostedZoneId: `Z0123456789ABCDEF${hex(n, 4).toUpperCase()}` },
      cluster: { access: { terraformRoleArn: `arn:aws:iam::${account}:role/platform-terraform` } },
    };
  });
  return { defaults: { tags: { team: "platform" }, cluster: { kubernetesVersion: "1.35" } }, environments };
}

/** The scenarios `options` select; the generated configs are written to `work`, the commands preload `probe`. */
export function scenarios(options: ScenarioChoice, work: string, probe: string): Scenario[] {
  const node = process.execPath;
  const list: Scenario[] = [
    {
      id: "example",
      title: "example config (npm run synth)",
      command: [node, "--require", probe, "scripts/app.js"],
      environments: 1,
    },
  ];
  for (const count of ENVIRONMENT_COUNTS) {
    const file = join(work, `envs-${count}.json`);
    writeFileSync(file, JSON.stringify(generatedConfig(count), null, 2));
    list.push({
      id: `envs-${count}`,
      title: `${count} environment${count === 1 ? "" : "s"} (generated)`,
      command: [node, "--require", probe, "scripts/app.js"],
      env: { PLATFORM_CONFIG: file },
      environments: count,
    });
  }
  // What `cdktf diff <one stack>` pays with a large config: the whole file validated, one environment built.
  const large = join(work, `envs-${SELECTION_ENVIRONMENTS}.json`);
  writeFileSync(large, JSON.stringify(generatedConfig(SELECTION_ENVIRONMENTS), null, 2));
  const selected = `env${String(SELECTION_ENVIRONMENTS / 2).padStart(2, "0")}`;
  list.push({
    id: SELECTION_ID,
    title: `${SELECTION_ENVIRONMENTS} environments (generated), PLATFORM_ENVIRONMENTS=${selected}`,
    command: [node, "--require", probe, "scripts/app.js"],
    env: { PLATFORM_CONFIG: large, PLATFORM_ENVIRONMENTS: selected },
    environments: 1,
  });
  if (options.runners) {
    list.push({
      id: "example-dist",
      title: "example, node dist/main.js directly",
      command: [node, "--require", probe, "dist/main.js"],
      environments: 1,
    });
    list.push({
      id: "example-tsx",
      title: "example, node --import tsx main.ts",
      command: [node, "--require", probe, "--import", "tsx", "main.ts"],
      environments: 1,
    });
  }
  if (options.cli) {
    list.push({
      id: "example-cli",
      title: "example, npx cdktf synth",
      command: ["npx", "cdktf", "synth"],
      environments: 1,
      probeViaNodeOptions: true,
    });
  }
  return options.only ? list.filter((scenario) => options.only!.includes(scenario.id)) : list;
}
