/**
 * Staleness checks of generated files (docs, goldens, the address list, the report examples) all name one fix:
 * `npm run generate` (tools/generate.ts), which regenerates every one of them. Plain code: usable in every layer.
 */
export const GENERATE_COMMAND = "npm run generate";

/** The line a stale generated file fails with, as `npm run generate -- --check` prints it. */
export const staleMessage = (path: string): string => `${path} is stale: run ${GENERATE_COMMAND}`;

/** Throws the stale message, with the first line that differs, when the committed text is not the generated one. */
export function expectGenerated(path: string, committed: string | undefined, generated: string): void {
  if (committed === generated) return;
  if (committed === undefined) throw new Error(`${staleMessage(path)} (the file is missing)`);
  const before = committed.split("\n");
  const after = generated.split("\n");
  let line = 0;
  while (line < before.length && line < after.length && before[line] === after[line]) line++;
  const show = (text: string | undefined) =>
    text === undefined ? "(end of file)" : JSON.stringify(text.slice(0, 160));
  throw new Error(
    `${staleMessage(path)}\nfirst difference at line ${line + 1}:\n  committed: ${show(before[line])}\n  generated: ${show(after[line])}`,
  );
}
