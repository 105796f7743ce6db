import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfigFile } from "../../modules/plan";
import { formatIssue, PlatformConfigError } from "../../modules/errors";
import { dot } from "./graph";
import { buildReport } from "./model";
import { renderMarkdown, renderText } from "./render";
import { renderSvg } from "./svg";
import { REPORT_USAGE } from "./usage";

export { REPORT_USAGE } from "./usage";

export interface ReportCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The example config used when neither --config nor PLATFORM_CONFIG is given. */
  readonly defaultConfig: string;
}

/** `platform report` / `npm run report`; returns the exit code (1: bad config or arguments). */
export async function runReportCommand(argv: ReadonlyArray<string>, io: ReportCommandIo): Promise<number> {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === "--help" || flag === "-h") {
      io.stdout(REPORT_USAGE);
      return 0;
    }
    const value = argv[index + 1];
    if (!["--format", "--out", "--config", "--date"].includes(flag) || value === undefined) {
      io.stderr(`unknown or incomplete argument '${flag}'\n${REPORT_USAGE}`);
      return 1;
    }
    flags.set(flag, value);
    index++;
  }
  const format = flags.get("--format") ?? "text";
  if (format !== "text" && format !== "markdown") {
    io.stderr(`--format must be text or markdown, not '${format}'\n`);
    return 1;
  }
  const date = flags.get("--date");
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    io.stderr(`--date must be YYYY-MM-DD, not '${date}'\n`);
    return 1;
  }
  const configPath = flags.get("--config") ?? io.env.PLATFORM_CONFIG ?? io.defaultConfig;
  let report;
  try {
    report = buildReport(loadConfigFile(configPath), { now: date ? new Date(`${date}T00:00:00Z`) : undefined });
  } catch (error) {
    if (!(error instanceof PlatformConfigError)) throw error;
    io.stderr(
      `${error.issues.length} problem${error.issues.length === 1 ? "" : "s"} in ${configPath}:\n${error.issues.map((issue) => `  ${formatIssue(issue)}\n`).join("")}`,
    );
    return 1;
  }
  const out = flags.get("--out");
  const markdown = renderMarkdown(report, { svgPath: out ? "graph.svg" : undefined });
  io.stdout(format === "markdown" ? markdown : renderText(report));
  if (out) {
    const dir = resolve(out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "report.md"), markdown);
    writeFileSync(join(dir, "graph.svg"), await renderSvg(dot(report)));
    io.stderr(`wrote ${join(dir, "report.md")} and ${join(dir, "graph.svg")}\n`);
  }
  return report.environments.some((environment) => environment.issues.length > 0) ? 1 : 0;
}
