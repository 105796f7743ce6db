import { formatIssue } from "../../modules/errors";
import { applyWaves, environmentGraph, mermaid, stackWaves } from "./graph";
import { kubernetesRangeText, type AddonRow, type EnvironmentReport, type PlatformReport } from "./model";
import type { ReportWarning } from "./warnings";

/** The report as a terminal table (`text`) or as Markdown a CI job can paste into a pull request. */

const ADDON_COLUMNS = [
  "add-on",
  "layer",
  "delivery",
  "version",
  "Kubernetes",
  "identity",
  "IAM role",
  "namespace",
  "Pod Security",
  "depends on",
] as const;

/** The level the add-on's namespace enforces; its pods' own level when stricter (kube-system is unlabeled). */
function podSecurityText({ pods, namespace, labeled }: AddonRow["podSecurity"]): string {
  const enforced = labeled ? namespace : `${namespace} (unlabeled)`;
  return pods === namespace ? enforced : `${enforced}, pods ${pods}`;
}

function addonCells(addon: AddonRow): string[] {
  const delivery = addon.migrateFrom ? `${addon.delivery} (from ${addon.migrateFrom})` : addon.delivery;
  const version = addon.versionUnverified ? `${addon.version} (unverified)` : addon.version;
  const dependsOn = addon.dependsOn
    .map((dependency) => (dependency.ready ? `${dependency.name} (ready)` : dependency.name))
    .join(", ");
  return [
    addon.name,
    addon.layer,
    delivery,
    version,
    kubernetesRangeText(addon.supportedKubernetes),
    addon.identity,
    addon.roleName ?? "-",
    addon.namespace,
    podSecurityText(addon.podSecurity),
    dependsOn || "-",
  ];
}

const stackCells = (report: EnvironmentReport) =>
  report.stacks.map((stack) => [
    stack.name,
    stack.layer,
    stack.dependsOn.join(", ") || "-",
    String(stack.addons.length),
  ]);
const STACK_COLUMNS = ["stack", "layer", "depends on", "add-ons"];

const WORKSPACE_COLUMNS = ["workspace", "stack", "execution", "AWS run role", "triggered by", "state read by"];
const workspaceCells = (report: EnvironmentReport) =>
  report.workspaces.map((row) => [
    row.workspace,
    row.stack,
    row.execution,
    row.runRole ?? "- (own credentials)",
    row.triggeredBy.join(", ") || "-",
    row.stateReadBy.join(", ") || "-",
  ]);

function heading(report: EnvironmentReport): string {
  return `${report.name}: account ${report.account}, ${report.region}, cluster ${report.clusterName}, Kubernetes ${report.kubernetesVersion} (standard support until ${report.endOfStandardSupport})`;
}

const warningLine = (warning: ReportWarning) =>
  `${warning.severity === "warning" ? "warning" : "note"}: ${warning.message}`;

// ---- text ----

function textTable(columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths = columns.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index].length)));
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]))
      .join("  ")
      .trimEnd();
  return [line(columns), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

export function renderText(report: PlatformReport): string {
  const sections = report.environments.map((environment) => {
    const graph = environmentGraph(environment);
    const parts = [
      `== ${heading(environment)}`,
      `   network: ${environment.network}`,
      `   permissions boundary: ${environment.permissionsBoundary}`,
      "",
      textTable(STACK_COLUMNS, stackCells(environment)),
      "",
      textTable(ADDON_COLUMNS, environment.addons.map(addonCells)),
    ];
    if (environment.disabledAddons.length > 0) parts.push("", `off: ${environment.disabledAddons.join(", ")}`);
    if (environment.workspaces.length > 0)
      parts.push(
        "",
        "Terraform Cloud workspaces (terraform-cloud stack):",
        textTable(WORKSPACE_COLUMNS, workspaceCells(environment)),
      );
    parts.push(
      "",
      `apply order: ${stackWaves(graph)
        .map((wave) => wave.join(" + "))
        .join(" -> ")}`,
    );
    if (environment.issues.length > 0)
      parts.push(
        "",
        "problems (synth refuses this config):",
        ...environment.issues.map((issue) => `  ${formatIssue(issue)}`),
      );
    parts.push("", environment.warnings.length > 0 ? environment.warnings.map(warningLine).join("\n") : "no warnings");
    return parts.join("\n");
  });
  return `${sections.join("\n\n")}\n\nas of ${report.asOf}\n`;
}

// ---- markdown ----

const cell = (text: string) => text.replace(/\|/g, "\\|");

function markdownTable(columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return [
    `| ${columns.join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

function markdownAddonCells(addon: AddonRow): string[] {
  const cells = addonCells(addon);
  return cells.map((text, index) =>
    (index === 0 || index === 6 || index === 7) && text !== "-" ? `\`${text}\`` : text,
  );
}

export interface MarkdownOptions {
  /** Link to the SVG rendering of the graph, relative to the Markdown file. */
  readonly svgPath?: string;
  readonly title?: string;
}

export function renderMarkdown(report: PlatformReport, options: MarkdownOptions = {}): string {
  const warningCount = report.environments.reduce(
    (sum, environment) => sum + environment.warnings.filter((warning) => warning.severity === "warning").length,
    0,
  );
  const out: string[] = [
    `# ${options.title ?? "Platform report"}`,
    "",
    `${report.environments.length} environment${report.environments.length === 1 ? "" : "s"}, ${report.environments.reduce((sum, environment) => sum + environment.stacks.length, 0)} stacks, ${warningCount} warning${warningCount === 1 ? "" : "s"}; support dates and waivers judged as of ${report.asOf}. Computed from the config without synthesizing.`,
    "",
    markdownTable(
      ["environment", "account", "region", "Kubernetes", "stacks", "add-ons", "warnings"],
      report.environments.map((environment) => [
        environment.name,
        environment.account,
        environment.region,
        environment.kubernetesVersion,
        String(environment.stacks.length),
        String(environment.addons.length),
        String(environment.warnings.filter((warning) => warning.severity === "warning").length),
      ]),
    ),
  ];
  if (options.svgPath) out.push("", `Dependency graph of every environment: [${options.svgPath}](${options.svgPath})`);
  for (const environment of report.environments) {
    const graph = environmentGraph(environment);
    out.push("", `## ${environment.name}`, "", heading(environment), "", `Network: ${environment.network}`, "");
    out.push(`Permissions boundary: ${environment.permissionsBoundary}`, "");
    out.push("### Warnings", "");
    if (environment.warnings.length === 0) out.push("None.");
    else
      out.push(
        ...environment.warnings.map(
          (warning) => `- ${warning.severity === "warning" ? "⚠️ **warning**" : "ℹ️ note"}: ${warning.message}`,
        ),
      );
    if (environment.issues.length > 0)
      out.push(
        "",
        "**Problems (synth refuses this config):**",
        "",
        ...environment.issues.map((issue) => `- ${formatIssue(issue)}`),
      );
    out.push("", "### Stacks", "", markdownTable(STACK_COLUMNS, stackCells(environment)));
    out.push("", "### Add-ons", "", markdownTable(ADDON_COLUMNS, environment.addons.map(markdownAddonCells)));
    if (environment.disabledAddons.length > 0)
      out.push("", `Off: ${environment.disabledAddons.map((name) => `\`${name}\``).join(", ")}.`);
    if (environment.workspaces.length > 0) {
      out.push(
        "",
        "### Terraform Cloud workspaces",
        "",
        "Managed by the `terraform-cloud` stack: a run trigger queues a plan after each apply of the workspace it names; state is shared with the listed workspaces only.",
        "",
      );
      out.push(
        markdownTable(
          WORKSPACE_COLUMNS,
          workspaceCells(environment).map((cells) =>
            cells.map((text, index) => (index <= 1 && text !== "-" ? `\`${text}\`` : text)),
          ),
        ),
      );
    }
    out.push("", "### Order", "");
    out.push(
      `Apply stacks: ${stackWaves(graph)
        .map((wave) => wave.map((name) => `\`${name}\``).join(" + "))
        .join(" → ")}; destroy in reverse order. Within each stack, on apply (items of a step in parallel):`,
      "",
    );
    for (const stack of environment.stacks) {
      const waves = applyWaves(graph, stack.name);
      out.push(
        `- \`${stack.name}\`: ${waves.length > 0 ? waves.map((wave) => wave.join(", ")).join(" → ") : "no add-ons"}`,
      );
    }
    out.push("", "On destroy each stack runs its steps backwards: add-ons go before what they depend on.", "");
    out.push("```mermaid", mermaid(graph), "```");
    out.push(
      "",
      "An arrow A → B: B waits for A on apply and is removed before A on destroy; thick arrows are stacks (outputs read across states); dotted `ready` arrows wait for webhooks to serve.",
    );
  }
  return `${out.join("\n")}\n`;
}
