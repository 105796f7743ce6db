import { z } from "zod";
import { calendarDateProblem, waiverReasonProblem } from "./waiver-checks";
import { bounded, refused, text, visible } from "./text";

/** A policy waiver (`policy.waivers[]`): the rule, optionally the resource, why, and until when. */
export const waiverSchema = z.strictObject({
  rule: bounded(64)
    .regex(/^[A-Z0-9_]+$/, { message: "must be a policy rule id such as EKS_PUBLIC_ENDPOINT" })
    .describe("Policy rule id, e.g. EKS_PUBLIC_ENDPOINT (docs/policy.md)."),
  resource: text(512)
    .optional()
    .describe("The Terraform address (`<type>.<name>`) this waiver covers; omit to waive the rule on every resource."),
  reason: refused(
    visible(bounded(2000), true),
    waiverReasonProblem,
    "say why the exception is accepted and until when, e.g. a ticket and its plan",
  ).describe(
    "Why the exception is accepted, 10-2000 visible characters and more than filler (todo, n/a, temporary, repeated characters are refused); `npm run report` shows it with the waiver.",
  ),
  expires: refused(z.string(), calendarDateProblem, "give a real day as YYYY-MM-DD, e.g. 2026-02-28")
    .optional()
    .describe(
      "Optional end date (YYYY-MM-DD, a real calendar day); an expired waiver no longer applies. Omitted, it never expires.",
    ),
});

export type WaiverConfig = z.output<typeof waiverSchema>;
