import { z } from "zod";
import { parseCidr } from "../cidr";
import { bounded, text, visible } from "./text";

/** Shared field shapes with messages that say what is allowed. */
export const fields = {
  account: z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" }),
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central)(east|west)?-\d{1,2}$/, {
    message: "must be an AWS region such as eu-west-1 or us-east-2",
  }),
  roleArn: bounded(2048).regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]+$/, {
    message: "must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)",
  }),
  principalArn: bounded(2048).regex(
    /^arn:aws(-cn|-us-gov)?:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@\-/]+$/,
    {
      message: "must be an IAM role or user ARN (arn:aws:iam::<12 digits>:role/<name>)",
    },
  ),
  // Customer managed only: an AWS managed policy (account `aws`) is not the organization's, and IAM names
  // policies in its own account. Account and partition against the environment: reference-semantics.ts.
  policyArn: bounded(2048).regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/, {
    message:
      "must be a customer managed IAM policy ARN (arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:policy/<path/name>)",
  }),
  kmsKeyArn: bounded(2048).regex(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+$/, {
    message: "must be a KMS key or alias ARN",
  }),
  // Parsed as a network (cidr.ts): leading zeros and host bits are refused with the canonical form as the fix.
  cidr: z.string().superRefine((text, ctx) => {
    const parsed = parseCidr(text);
    if (!parsed.ok)
      ctx.addIssue({
        code: "custom",
        message: parsed.problem,
        input: text,
        params: parsed.canonical ? { fix: `write ${parsed.canonical}` } : undefined,
      });
  }),
  dnsLabel: z.string().regex(/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/, {
    message: "must be DNS-safe: lowercase letters, digits and '-', starting with a letter, at most 32 characters",
  }),
  // AWS reserves the `aws:` prefix (case-insensitive) and refuses control characters in tags; invisible characters
  // (zero-width, bidi controls) it stores as given, to be shown and matched as something else: refused here.
  tags: z.record(
    text(128).refine((key) => !/^aws:/i.test(key), { message: "must not start with 'aws:' (reserved by AWS)" }),
    visible(bounded(256)),
  ),
};
