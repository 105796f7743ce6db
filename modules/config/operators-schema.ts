import { z } from "zod";
import { fields } from "./fields";
import { bounded } from "./text";

/** `operators`: what the in-cluster operators (External Secrets) may read, and the stores they serve. */

/** IAM policies grant on keys, not aliases: an alias ARN in `Resource` never matches `kms:Decrypt`. */
const kmsKeyOnlyArn = fields.kmsKeyArn.refine((arn) => /:key\/[\w-]+$/.test(arn), {
  message: "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): IAM cannot grant on an alias",
});

export const operatorsSchema = z
  .strictObject({
    externalSecrets: z
      .strictObject({
        ssmPathPrefixes: z
          .array(
            bounded(1011).regex(/^\/([\w.\-/]*\/)?$/, {
              message: "must be an SSM path prefix starting and ending with '/'",
            }),
          )
          .min(1)
          .optional()
          .describe(
            "SSM parameter path prefixes the operator may read, nested paths included; default `/<environment name>/`.",
          ),
        kmsKeyArns: z
          .array(kmsKeyOnlyArn)
          .default([])
          .describe(
            "KMS key ARNs (not aliases) the operator may decrypt SecureString parameters with; empty (the default): any key, but only through SSM (`kms:ViaService`), which covers the account's aws/ssm key.",
          ),
        storeName: fields.dnsLabel
          .default("aws-parameter-store")
          .describe(
            "Name of the ClusterSecretStore for SSM Parameter Store, for an ExternalSecret's `secretStoreRef`.",
          ),
      })
      .prefault({})
      .describe("External Secrets Operator: what its IAM identity may read, and the ClusterSecretStore it serves."),
  })
  .prefault({});

export type OperatorsConfig = z.output<typeof operatorsSchema>;
