import { fail, locate, MAX_NESTING } from "./read-limits";

/**
 * JSON.parse lets the last of duplicate keys win silently and reports errors without a line (quoting the whole
 * input, newlines included). This single pass validates the grammar with an explicit stack (no recursion, so no
 * depth limit of its own), finding the first error, duplicate key or excess depth at its offset.
 */
export function parseJson(text: string, fileName: string): unknown {
  const problem = (offset: number, message: string, fix = "fix the JSON at that position"): never => {
    const where = locate(text, offset, fileName);
    // A truncated file is a problem of the whole file (`<file>`); its end is still given in the message.
    return fail(fileName, {
      path: offset >= text.length ? "<file>" : where.path,
      message: message.replace("{at}", where.at),
      fix,
    });
  };
  const open: Array<Map<string, number> | null> = []; // keys seen per open object (null: an array)
  type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "after";
  let expect: Expect = "value";
  let index = 0;
  for (;;) {
    while (index < text.length && " \t\n\r".includes(text[index])) index++;
    if (index >= text.length) {
      if (expect === "after" && open.length === 0) return JSON.parse(text);
      return problem(
        index,
        "malformed JSON at {at}: unexpected end of input",
        "close every { and [ and finish the last value",
      );
    }
    const char = text[index];
    const top = open[open.length - 1];
    if (expect === "after") {
      if (open.length === 0)
        problem(index, `malformed JSON at {at}: unexpected ${JSON.stringify(char)} after the end of the value`);
      if (char === ",") expect = top ? "key" : "value";
      else if (char === (top ? "}" : "]")) open.pop();
      else
        problem(index, `malformed JSON at {at}: expected ',' or '${top ? "}" : "]"}', found ${JSON.stringify(char)}`);
      index++;
    } else if (expect === "colon") {
      if (char !== ":")
        problem(index, `malformed JSON at {at}: expected ':' after the key, found ${JSON.stringify(char)}`);
      expect = "value";
      index++;
    } else if ((char === "}" && expect === "key-or-close") || (char === "]" && expect === "value-or-close")) {
      open.pop(); // an empty object or array
      expect = "after";
      index++;
    } else if (expect === "key" || expect === "key-or-close") {
      if (char !== '"')
        problem(index, `malformed JSON at {at}: expected a double-quoted key, found ${JSON.stringify(char)}`);
      const end =
        jsonStringEnd(text, index) ?? problem(index, "malformed JSON at {at}: unterminated or invalid string");
      const key = JSON.parse(text.slice(index, end)) as string;
      const first = top!.get(key);
      if (first !== undefined)
        problem(
          index,
          `duplicate key ${JSON.stringify(key)} at {at} (first at line ${locate(text, first, fileName).line}): keys must be unique`,
          "keep one of them: with both, the last would silently win",
        );
      top!.set(key, index);
      index = end;
      expect = "colon";
    } else if (char === "{" || char === "[") {
      if (open.length >= MAX_NESTING)
        problem(
          index,
          `nested more than ${MAX_NESTING} levels deep (at {at})`,
          "flatten the structure; no setting needs this depth",
        );
      open.push(char === "{" ? new Map() : null);
      expect = char === "{" ? "key-or-close" : "value-or-close";
      index++;
    } else if (char === '"') {
      index = jsonStringEnd(text, index) ?? problem(index, "malformed JSON at {at}: unterminated or invalid string");
      expect = "after";
    } else {
      const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
      literal.lastIndex = index;
      const match = literal.exec(text) ?? problem(index, `malformed JSON at {at}: unexpected ${JSON.stringify(char)}`);
      index += match[0].length;
      expect = "after";
    }
  }
}

/** Offset just past the JSON string starting at `start`, or undefined when it is unterminated or invalid. */
function jsonStringEnd(text: string, start: number): number | undefined {
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (code < 0x20) return undefined; // raw control characters (a newline) are not allowed inside strings
    if (code === 0x5c) {
      const escape = text[index + 1];
      if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) index += 5;
      else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) index++;
      else return undefined;
    }
  }
  return undefined;
}
