/**
 * A waiver turns a safety default off, so its reason is what a reviewer (and `npm run report`) reads later:
 * blank text, filler (`todo`, `n/a`, `temporary`) and keyboard mashing are refused, as is an end date that is
 * no day of the calendar (`2026-02-30` would otherwise never match a real day).
 */

/** Words that say nothing about why a rule is waived (and short glue words, so "for the time" is no reason either). */
const FILLER = new Set([
  "todo",
  "tbd",
  "tba",
  "fixme",
  "fix",
  "later",
  "wip",
  "temp",
  "temporary",
  "tmp",
  "test",
  "testing",
  "tests",
  "na",
  "none",
  "nothing",
  "null",
  "nil",
  "placeholder",
  "dummy",
  "asdf",
  "qwerty",
  "xxx",
  "foo",
  "bar",
  "baz",
  "lorem",
  "ipsum",
  "blah",
  "reason",
  "waiver",
  "waive",
  "waived",
  "ok",
  "okay",
  "yes",
  "no",
  "etc",
  "misc",
  "whatever",
  "something",
  "stuff",
  "needed",
  "required",
  "ignore",
  "skip",
  "please",
  "pls",
  "for",
  "the",
  "an",
  "to",
  "it",
  "is",
  "this",
  "that",
  "now",
  "just",
  "because",
  "time",
  "being",
  "of",
]);

/** Why a waiver reason is no reason, or `undefined` when it reads like one. */
export function waiverReasonProblem(reason: string): string | undefined {
  const text = reason.trim();
  if (text.length < 10) return "must explain the waiver in at least 10 characters";
  const compact = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  if (new Set(compact).size < 4 || /^(.{1,6}?)\1+$/u.test(compact)) return "is repeated characters, not a reason";
  const words = new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length >= 2 && !FILLER.has(word)),
  );
  if (words.size < 2) return "is filler (todo, n/a, temporary ...), not a reason";
  return undefined;
}

/** Why `text` (YYYY-MM-DD) is not a day of the calendar, or `undefined`. */
export function calendarDateProblem(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return "must be a date as YYYY-MM-DD";
  const parsed = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== text
    ? "is not a day of the calendar"
    : undefined;
}
