import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { Testing } from "cdktf";
import {
  KUBERNETES_VERSIONS,
  Platform,
  PlatformConfigError,
  formatIssue,
  loadConfigFile,
  planPlatform,
  type KubernetesVersion,
} from "../../index";
import { environmentWarnings } from "../../tools/report/warnings";
import { minimalEnvironment } from "../helpers/config";

/**
 * What a user of the packed package meets: links in the shipped README and docs that resolve inside the package,
 * the `platform` command's `validate`, provider versions in the README that match the stacks, and messages that
 * point at the right place (YAML line and column, "1 day").
 */

const root = join(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "package-contents-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The paths `npm pack` ships. npm decides them from the tree's paths, package.json and the ignore files alone, so
 * its answer is kept (one file under node_modules/.cache) with a hash of exactly those, and npm runs again when
 * any of them changed. `--ignore-scripts`: the file list only, without the build `prepack` runs.
 */
function packedFiles(): string[] {
  const hash = createHash("sha1").update(`${process.env.npm_config_user_agent ?? ""}\n`);
  const visit = (relative: string) => {
    const entries = readdirSync(join(root, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory() && (entry.name === "node_modules" || entry.name === ".git")) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      hash.update(`${path}${entry.isDirectory() ? "/" : ""}\n`);
      if (entry.isDirectory()) visit(path);
      else if ([".npmignore", ".gitignore", "package.json"].includes(entry.name))
        hash.update(readFileSync(join(root, path)));
    }
  };
  visit("");
  const key = hash.digest("hex");
  const cache = join(root, "node_modules", ".cache", "cdktf-eks-platform", "packed-files.json");
  type Known = Partial<{ key: string; files: string[] }>;
  const known: Known = existsSync(cache) ? (JSON.parse(readFileSync(cache, "utf8")) as Known) : {};
  if (known.key === key && known.files) return known.files;
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, npm_config_loglevel: "silent" },
    }),
  ) as Array<{ files: Array<{ path: string }> }>;
  const files = packed[0].files.map((file) => file.path);
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(`${cache}.${process.pid}`, JSON.stringify({ key, files }));
  renameSync(`${cache}.${process.pid}`, cache);
  return files;
}

describe("the packed package", () => {
  const files = new Set(packedFiles());
  const shipped = (target: string) => files.has(target) || [...files].some((file) => file.startsWith(`${target}/`));

  it("ships every file its README, docs and help link to", () => {
    const markdown = [...files].filter((file) => file.endsWith(".md"));
    expect(markdown).toContain("README.md");
    expect(markdown).toContain("docs/config-reference.md");
    // The JSON Schema editors read from node_modules (README: Your own config).
    expect(files).toContain("docs/config.schema.json");
    const missing: string[] = [];
    for (const file of markdown) {
      // Links outside inline code (a regex in backticks is no link).
      const text = readFileSync(join(root, file), "utf8").replace(/`[^`\n]*`/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:|^#/i.test(target)) continue;
        const path = normalize(join(dirname(file), decodeURIComponent(target.split("#")[0]))).replace(/\/$/, "");
        if (!shipped(path)) missing.push(`${file} -> ${target}`);
      }
    }
    for (const [, path] of readFileSync(join(root, "help"), "utf8").matchAll(/\b(docs\/[\w./-]+\.md)\b/g))
      if (!shipped(path)) missing.push(`help -> ${path}`);
    expect(missing).toEqual([]);
  });

  it("declares cdktf and constructs as peers, in the providers' range", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(manifest.dependencies.cdktf).toBeUndefined();
    expect(manifest.dependencies.constructs).toBeUndefined();
    for (const provider of Object.keys(manifest.dependencies).filter((name) => name.startsWith("@cdktf/provider-"))) {
      const peers = JSON.parse(
        readFileSync(join(root, "node_modules", provider, "package.json"), "utf8"),
      ).peerDependencies;
      expect([provider, manifest.peerDependencies]).toEqual([provider, peers]);
    }
    expect(manifest.devDependencies.cdktf).toBe(
      JSON.parse(readFileSync(join(root, "node_modules/cdktf/package.json"), "utf8")).version,
    );
  });
});

describe("the platform command", () => {
  const platform = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["scripts/app.js", "bin/platform.ts", ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, ...env },
    });
  const loadedByHelp = join(dir, "help-loaded.json");
  let helpText: string | undefined;
  /** `platform help`'s output, run once for the tests below (reporting the packages it loaded). */
  const help = () =>
    (helpText ??= platform(["help"], {
      NODE_OPTIONS: `--require ${join(__dirname, "..", "helpers", "report-loaded-packages.js")}`,
      LOADED_PACKAGES_FILE: loadedByHelp,
    }).stdout);

  it("loads each command's code only when that command runs: help loads no package's code", () => {
    expect(help()).toMatch(/^usage: platform report /m);
    // Only the file the app runner switches token stacks off in (scripts/token-stacks.js).
    expect(JSON.parse(readFileSync(loadedByHelp, "utf8"))).toEqual({ cdktf: ["lib/tokens/private/stack-trace.js"] });
  });

  it("has rehearse: in its help, and rehearses a synthesized output on real terraform", () => {
    expect(help()).toMatch(/^ {2}rehearse {2}apply and destroy stand-ins/m);
    const missing = platform(["rehearse", "--out", join(root, "no-such-outdir")]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no-such-outdir/);
  }, 60_000);

  it("has validate: in its help, and as a command with its own usage and exit codes", () => {
    expect(help()).toMatch(/^ {2}validate {2}check synthesized stacks/m);
    const usage = platform(["validate"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("--reference is required");
    expect(usage.stderr).toContain("usage: platform validate --reference <dir>");
    expect(platform(["validate", "--reference", dir, "--out", join(dir, "nothing")]).stderr).toMatch(
      /No (synthesized )?stacks (under|in) .*nothing\/stacks/,
    );
  }, 60_000);
});

describe("the README's provider versions", () => {
  it("are the versions the stacks require", () => {
    const stack = new Platform(Testing.app(), {
      config: { environments: [minimalEnvironment()] },
      environments: ["dev"],
    }).environments[0].foundation!;
    const json = JSON.parse(Testing.synth(stack));
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const [name, { version }] of Object.entries<{ version: string }>(json.terraform.required_providers))
      expect(readme).toContain(`hashicorp/${name}\` | ${version}`);
    expect(readme).toContain(`Terraform \`${json.terraform.required_version}\``);
  });
});

describe("messages point at the right place", () => {
  const yamlIssue = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    try {
      loadConfigFile(file);
    } catch (error) {
      if (error instanceof PlatformConfigError) return formatIssue(error.issues[0]);
      throw error;
    }
    throw new Error("expected a PlatformConfigError");
  };

  it("YAML errors name the file, with 1-based line and column", () => {
    const file = join(dir, "tab.yaml");
    expect(yamlIssue("tab.yaml", "environments:\n  - name: dev\n\taccount: x\n")).toBe(
      `<file> line 3, column 1: malformed YAML at ${file}:3:1: Tabs are not allowed as indentation (fix: indent with spaces)`,
    );
    expect(yamlIssue("alias.yaml", "environments:\n  - *dev\n")).toMatch(
      new RegExp(`^<file> line 2, column 5: malformed YAML at ${join(dir, "alias.yaml")}:2:5: Unresolved alias`),
    );
  });

  it("columns count characters as an editor does, not UTF-16 units", () => {
    // The second `k` is the 20th character of line 2; an emoji is two UTF-16 units.
    expect(yamlIssue("emoji.yaml", 'environments: []\nx: { "😀": 1, k: 1, k: 2 }\n')).toMatch(
      /^<file> line 2, column 20: duplicate key "k" at .*emoji\.yaml:2:20 /,
    );
    expect(yamlIssue("accent.yaml", 'environments: []\nx: { "é": 1, k: 1, k: 2 }\n')).toMatch(
      /^<file> line 2, column 20: /,
    );
  });

  it("the report says '1 day', not '1 days'", () => {
    const [{ environment, addons }] = planPlatform({ environments: [minimalEnvironment()] }).environments;
    const calendar = KUBERNETES_VERSIONS[environment.cluster.kubernetesVersion as KubernetesVersion];
    const dayBefore = new Date(Date.parse(`${calendar.endOfStandardSupport}T00:00:00Z`) - 86_400_000);
    const support = environmentWarnings(environment, addons, { now: dayBefore }).find(
      (warning) => warning.topic === "kubernetes-support",
    );
    expect(support?.message).toContain(`leaves standard support in 1 day (${calendar.endOfStandardSupport})`);
  });
});
