import { randomBytes } from "node:crypto";
import { hclString, needsHclEscaping, quotedHclString } from "./template";

/** The keys of cdktf's typed attribute wrappers (`{ value, type, isBlock, storageClassType }`), besides `value`. */
const WRAPPER_KEYS = ["type", "isBlock", "is_block", "storageClassType", "storage_class_type"];

const isWrapper = (value: object): value is { value: unknown } =>
  "value" in value && WRAPPER_KEYS.some((key) => key in value);

/**
 * Routes strings around cdktf's HCL renderer (cdktf/lib/hcl/render.js), which mangles them (see ./template.ts).
 * Before the renderer sees an element's resolved fragment, every string it would write wrongly is swapped for a
 * placeholder word (`swap`); all of the renderer's paths write a word as `"<word>"` (a value) or bare (an object
 * key), and in the rendered text each becomes the correct literal (`substitute`). A word is letters and digits
 * with a random part, so it cannot occur by chance. One instance per rendering of a stack.
 */
export class HclStringEscaper {
  private readonly prefix = `cdktfhcl${randomBytes(6).toString("hex")}`;
  private readonly values: string[] = [];
  private readonly keys: string[] = [];

  /** A copy of a resolved fragment with every string cdktf would mangle replaced by a placeholder word. */
  swap(fragment: unknown): unknown {
    if (typeof fragment === "string")
      return needsHclEscaping(fragment) ? this.word("v", this.values, fragment) : fragment;
    if (Array.isArray(fragment)) return fragment.map((item) => this.swap(item));
    if (fragment === null || typeof fragment !== "object") return fragment;
    if (isWrapper(fragment)) return { ...fragment, value: this.swap(fragment.value) };
    return Object.fromEntries(
      Object.entries(fragment).map(([key, value]) =>
        // "//" holds cdktf's construct metadata (metadata.json), not configuration.
        key === "//"
          ? [key, value]
          : [quotedHclString(key) === `"${key}"` ? key : this.word("k", this.keys, key), this.swap(value)],
      ),
    );
  }

  /** The rendered HCL with the correct literal for each placeholder. */
  substitute(hcl: string): string {
    if (this.values.length === 0 && this.keys.length === 0) return hcl;
    return (
      hcl
        .replace(this.pattern("v", true), (_, index: string) => hclString(this.values[Number(index)]))
        .replace(this.pattern("k", true), (_, index: string) => quotedHclString(this.keys[Number(index)]))
        .replace(this.pattern("k", false), (_, index: string) => quotedHclString(this.keys[Number(index)]))
        // A value cdktf wrote bare was an expression to it (e.g. a `reference`): give it back as cdktf had it.
        .replace(this.pattern("v", false), (_, index: string) => this.values[Number(index)])
    );
  }

  /** Metadata with the original strings back in place of placeholder words. */
  restore(metadata: unknown): unknown {
    if (this.values.length === 0 && this.keys.length === 0) return metadata;
    const original = (text: string): string =>
      text
        .replace(this.pattern("v", false), (_, i: string) => this.values[Number(i)])
        .replace(this.pattern("k", false), (_, i: string) => this.keys[Number(i)]);
    const visit = (value: unknown): unknown => {
      if (typeof value === "string") return original(value);
      if (Array.isArray(value)) return value.map(visit);
      if (value === null || typeof value !== "object") return value;
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [original(key), visit(inner)]));
    };
    return visit(metadata);
  }

  private word(kind: "v" | "k", table: string[], original: string): string {
    table.push(original);
    return `${this.prefix}${kind}${table.length - 1}`;
  }

  private pattern(kind: "v" | "k", quoted: boolean): RegExp {
    const word = `${this.prefix}${kind}(\\d+)`;
    return new RegExp(quoted ? `"${word}"` : `${word}(?!\\d)`, "g");
  }
}
