/**
 * CI check of modules/ami-releases.ts against the parsed amazon-eks-ami changelog
 * (`../shared/reference/eks-ami-releases-al2023.json`: `{ "releases": { "v20260714": ["1.30", ...], ... } }`).
 */

export class AmiReferenceError extends Error {}

export function parseAmiReference(text: string, origin: string): Readonly<Record<string, ReadonlyArray<string>>> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AmiReferenceError(
      `${origin} is not JSON (${error instanceof Error ? error.message : String(error)}): expected the parsed amazon-eks-ami changelog ({ "releases": { "vYYYYMMDD": ["1.xx", ...] } })`,
    );
  }
  const releases = (data as { releases?: unknown } | null)?.releases;
  if (typeof releases !== "object" || releases === null || Array.isArray(releases)) {
    throw new AmiReferenceError(
      `${origin} has no "releases" object: expected the parsed amazon-eks-ami changelog ({ "releases": { "vYYYYMMDD": ["1.xx", ...] } })`,
    );
  }
  for (const [release, minors] of Object.entries(releases)) {
    if (!Array.isArray(minors) || minors.some((minor) => typeof minor !== "string"))
      throw new AmiReferenceError(`${origin}: releases.${release} is not a list of Kubernetes versions`);
  }
  return releases as Record<string, ReadonlyArray<string>>;
}

/** One line per table entry that disagrees with the reference. */
export function checkAmiTable(
  table: Readonly<Record<string, ReadonlyArray<string>>>,
  reference: Readonly<Record<string, ReadonlyArray<string>>>,
): string[] {
  const problems: string[] = [];
  for (const [release, minors] of Object.entries(table)) {
    const expected = reference[release];
    if (!expected) {
      problems.push(`${release}: not in the reference changelog`);
      continue;
    }
    const missing = expected.filter((minor) => !minors.includes(minor));
    const extra = minors.filter((minor) => !expected.includes(minor));
    if (missing.length || extra.length) {
      const parts = [
        extra.length ? `the table claims ${extra.join(", ")}, which it does not ship` : "",
        missing.length ? `the table omits ${missing.join(", ")}, which it ships` : "",
      ].filter(Boolean);
      problems.push(`${release}: ${parts.join("; ")} (reference: ${expected.join(", ")})`);
    }
  }
  return problems;
}
