/**
 * Keys a chart documents only in comments. Many values.yaml files list optional settings commented out, at the
 * place they belong (cert-manager's `serviceAccount:` has `# name: ""`; reloader's `podDisruptionBudget:` has
 * `# minAvailable: 1`), and the templates read them. Parsing the YAML drops comments, so the file is also read
 * line by line: a comment whose text is a `key:` line is a key, its parent found by indentation.
 */

interface OutlineLine {
  readonly indent: number;
  /** A map key, or `undefined` for a list item (`- ...`): keys below a list item are not values paths. */
  readonly key: string | undefined;
}

/** A key line (`name: x`, `"a/b": x`, `name:`) or a list item line, from text without its indentation. */
function outlineLine(indent: number, text: string): OutlineLine | undefined {
  if (text.startsWith("- ") || text === "-") return { indent, key: undefined };
  const match = /^("[^"]*"|'[^']*'|[A-Za-z_$][\w.\-/$]*):(\s|$)/.exec(text);
  if (!match) return undefined;
  const key = /^["']/.test(match[1]) ? match[1].slice(1, -1) : match[1];
  return { indent, key };
}

interface Entry {
  readonly indent: number;
  /** `undefined` inside a list. */
  readonly path: ReadonlyArray<string> | undefined;
}

function childEntry(parent: Entry | undefined, line: OutlineLine): Entry {
  const base = parent ? parent.path : [];
  return { indent: line.indent, path: base && line.key !== undefined ? [...base, line.key] : undefined };
}

/**
 * Key paths written as comments, each as its segments. A paragraph of comment lines (up to a blank or a real
 * line) nests like YAML would if it were uncommented, on a copy of the real keys around it: so commented keys
 * nest under commented keys (`# annotations:` with commented children), and prose at an odd indentation never
 * re-parents the real keys after it.
 */
export function commentedKeyPaths(text: string): string[][] {
  const paths: string[][] = [];
  const real: Entry[] = [];
  let paragraph: Entry[] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === "") {
      paragraph = undefined;
      continue;
    }
    const comment = /^(\s*)#+ ?(\s*)(.*)$/.exec(raw);
    if (comment) {
      const line = outlineLine(comment[1].length + comment[2].length, comment[3].trimEnd());
      if (!line) continue;
      paragraph ??= [...real];
      while (paragraph.length && paragraph[paragraph.length - 1].indent >= line.indent) paragraph.pop();
      const entry = childEntry(paragraph[paragraph.length - 1], line);
      if (entry.path && line.key !== undefined) paths.push([...entry.path]);
      paragraph.push(entry);
      continue;
    }
    paragraph = undefined;
    const body = raw.replace(/\s+#.*$/, "");
    const indent = body.length - body.trimStart().length;
    const line = outlineLine(indent, body.trim());
    if (!line) continue;
    while (real.length && real[real.length - 1].indent >= line.indent) real.pop();
    real.push(childEntry(real[real.length - 1], line));
  }
  return paths;
}
