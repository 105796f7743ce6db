/**
 * Reads and rewrites the EKS add-on pins in the text of modules/versions.ts (or a copy of it), so that `--write`
 * changes only pin lines and keeps every comment and the rest of the formatting. The file keeps each `eksAddon`
 * list on lines of its own, one pin per line:
 *
 *   "vpc-cni": {
 *     eksAddon: [
 *       { version: "v1.20.4-eksbuild.2", kubernetes: ["1.32", "1.33"], source: "..." }, // optional comment
 *     ],
 *   },
 */

export interface FilePin {
  readonly version: string;
  readonly kubernetes: ReadonlyArray<string>;
  readonly source?: string;
}

/** One add-on's `eksAddon` list: where its pin lines are (0-based, `end` exclusive) and what they say. */
export interface EksAddonBlock {
  readonly addon: string;
  readonly start: number;
  readonly end: number;
  readonly indent: string;
  readonly pins: ReadonlyArray<FilePin>;
}

export interface VersionsFile {
  readonly lines: ReadonlyArray<string>;
  readonly kubernetesVersions: ReadonlyArray<string>;
  readonly blocks: ReadonlyArray<EksAddonBlock>;
}

export class VersionsFileError extends Error {}

const ADDON_LINE = /^ {2}(?:"([a-z0-9-]+)"|([A-Za-z0-9]+)): \{(.*)$/;
const EKS_ADDON_START = /^(\s*)eksAddon: \[\s*$/;
const BLOCK_END = /^\s*\],?\s*$/;
const PIN_LINE =
  /^\s*\{ version: "([^"]+)", kubernetes: \[([^\]]*)\](?:, source: "([^"]*)")?(?:, unverified: \[[^\]]*\])? \},?\s*(?:\/\/.*)?$/;
const KUBERNETES_LINE = /^\s*"(\d+\.\d+)": \{ .*endOfStandardSupport/;

/** Parses the pieces of a versions file the pin tool needs; `origin` names the file in errors. */
export function parseVersionsFile(text: string, origin: string): VersionsFile {
  const lines = text.split("\n");
  const kubernetesVersions: string[] = [];
  const blocks: EksAddonBlock[] = [];
  const pinsStart = lines.findIndex((line) => line.startsWith("export const PINS = {"));
  const calendarStart = lines.findIndex((line) => line.startsWith("export const KUBERNETES_VERSIONS = {"));
  if (pinsStart < 0 || calendarStart < 0)
    throw new VersionsFileError(
      `${origin}: no \`export const KUBERNETES_VERSIONS = {\` or \`export const PINS = {\`: is this modules/versions.ts?`,
    );
  for (let i = calendarStart + 1; i < lines.length && !lines[i].startsWith("}"); i++) {
    const match = KUBERNETES_LINE.exec(lines[i]);
    if (match) kubernetesVersions.push(match[1]);
  }
  let addon: string | undefined;
  for (let i = pinsStart + 1; i < lines.length && !lines[i].startsWith("}"); i++) {
    const addonMatch = ADDON_LINE.exec(lines[i]);
    if (addonMatch) {
      addon = addonMatch[1] ?? addonMatch[2];
      if (/eksAddon/.test(addonMatch[3]))
        throw new VersionsFileError(
          `${origin}:${i + 1}: ${addon}'s eksAddon pins must be on lines of their own (one pin per line) for the pin tool to read and rewrite them`,
        );
      continue;
    }
    const start = EKS_ADDON_START.exec(lines[i]);
    if (!start && /\beksAddon\s*:/.test(lines[i]))
      throw new VersionsFileError(
        `${origin}:${i + 1}: ${addon ?? "an add-on"}'s eksAddon pins must be on lines of their own (one pin per line) for the pin tool to read and rewrite them: ${lines[i].trim()}`,
      );
    if (!start || addon === undefined) continue;
    const pins: FilePin[] = [];
    let end = i + 1;
    for (; end < lines.length && !BLOCK_END.test(lines[end]); end++) {
      if (/^\s*\/\//.test(lines[end]) || lines[end].trim() === "") continue;
      const pin = PIN_LINE.exec(lines[end]);
      if (!pin)
        throw new VersionsFileError(
          `${origin}:${end + 1}: not a pin line the tool can read (expected { version: "...", kubernetes: ["1.xx", ...], source: "..." }): ${lines[end].trim()}`,
        );
      const kubernetes = [...pin[2].matchAll(/"([^"]+)"/g)].map((match) => match[1]);
      pins.push({ version: pin[1], kubernetes, source: pin[3] });
    }
    if (end >= lines.length)
      throw new VersionsFileError(`${origin}:${i + 1}: ${addon}'s eksAddon list has no closing "],"`);
    blocks.push({ addon, start: i + 1, end, indent: `${start[1]}  `, pins });
    i = end;
  }
  if (kubernetesVersions.length === 0)
    throw new VersionsFileError(`${origin}: no Kubernetes versions found in KUBERNETES_VERSIONS`);
  return { lines, kubernetesVersions, blocks };
}

export function formatPinLine(pin: FilePin, indent: string): string {
  const kubernetes = pin.kubernetes.map((version) => `"${version}"`).join(", ");
  const source = pin.source === undefined ? "" : `, source: ${JSON.stringify(pin.source)}`;
  return `${indent}{ version: ${JSON.stringify(pin.version)}, kubernetes: [${kubernetes}]${source} },`;
}

/** The file with some blocks' pin lines replaced (add-on name -> new pins); everything else is kept byte for byte. */
export function rewriteVersionsFile(
  file: VersionsFile,
  replacements: ReadonlyMap<string, ReadonlyArray<FilePin>>,
): string {
  const out: string[] = [];
  let next = 0;
  for (const block of file.blocks) {
    const pins = replacements.get(block.addon);
    if (!pins) continue;
    out.push(...file.lines.slice(next, block.start));
    out.push(...pins.map((pin) => formatPinLine(pin, block.indent)));
    next = block.end;
  }
  out.push(...file.lines.slice(next));
  return out.join("\n");
}

/** A unified-style diff of two versions of the file: one hunk per changed run of lines, with the add-on named. */
export function diffLines(before: string, after: string, path: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // Longest common subsequence on lines: the file is small (a few hundred lines).
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [`--- ${path}`, `+++ ${path} (rewritten)`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const hunk: string[] = [];
    const startA = i;
    const startB = j;
    while ((i < a.length || j < b.length) && !(i < a.length && j < b.length && a[i] === b[j])) {
      if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) hunk.push(`+${b[j++]}`);
      else hunk.push(`-${a[i++]}`);
    }
    const context =
      a
        .slice(0, startA)
        .reverse()
        .find((line) => ADDON_LINE.test(line))
        ?.trim() ?? "";
    out.push(
      `@@ -${startA + 1} +${startB + 1} @@ ${context}`,
      ...hunk.sort((x, y) => (x[0] === y[0] ? 0 : x[0] === "-" ? -1 : 1)),
    );
  }
  return out.length > 2 ? out.join("\n") : "";
}
