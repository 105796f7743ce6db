import { z } from "zod";
import { fields } from "./fields";
import { bounded } from "./text";
import { INTERFACE_ENDPOINT_SERVICES } from "../vpc-endpoint-services";

/** `vpc`: an existing VPC and its subnets, or one the foundation creates (subnets, NAT gateways, endpoints). */
export const vpcSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^vpc-[0-9a-f]{8,17}$/, { message: "must be a VPC id such as vpc-0123456789abcdef0" })
      .optional()
      .describe("An existing VPC to run in; required unless `create` is given."),
    privateSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" }))
      .optional()
      .describe(
        "Private subnets of `id`, at least two in different AZs: control plane, Fargate, EFS mount targets, internal ALBs. Tag them for Karpenter (docs/foundation.md).",
      ),
    publicSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" }))
      .optional()
      .describe(
        "Public subnets of `id` for internet-facing ALBs; required unless `create` is given, `[]` for a private-only VPC.",
      ),
    create: z
      .strictObject({
        cidr: fields.cidr.describe(
          "IPv4 CIDR of the new VPC (a network address, /16 to /28): its first half becomes the private subnets, public ones are a quarter of their size.",
        ),
        azs: z
          .array(
            bounded(32).regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, {
              message: "must be an availability zone such as eu-west-1a",
            }),
          )
          .min(2, { message: "needs at least two availability zones" })
          .describe(
            "Availability zones in the environment's region, one private and one public subnet each; taken from config, never looked up at plan time.",
          ),
        natGateways: z
          .enum(["single", "one-per-az"])
          .default("one-per-az")
          .describe(
            "NAT gateways for the private subnets' egress: `one-per-az` keeps one AZ's outage from cutting the others' egress; `single` is cheaper.",
          ),
        endpoints: z
          .strictObject({
            s3Gateway: z
              .boolean()
              .default(true)
              .describe(
                "An S3 gateway endpoint on the private route tables: image layers from ECR (stored in S3) and other S3 traffic skip the NAT gateways. Free.",
              ),
            interface: z
              .array(z.enum(INTERFACE_ENDPOINT_SERVICES))
              .default([])
              .describe(
                "Interface endpoints with private DNS for these services, in the private subnets behind a security group that admits HTTPS from the VPC only: the platform's own calls (ECR, STS, EC2, SQS, EKS Auth, EKS, SSM, Elastic Load Balancing) skip the NAT gateways. Priced per endpoint and AZ (about 7.30 USD a month each in us-east-1, plus data): none by default. docs/foundation.md lists the costs.",
              ),
          })
          .default({ s3Gateway: true, interface: [] })
          .describe("VPC endpoints, which keep the platform's AWS calls off the NAT gateways."),
      })
      .optional()
      .describe(
        "Create the VPC instead: private subnets behind NAT and public subnets for load balancers, laid out from `cidr` at synth time.",
      ),
  })
  .superRefine((vpc, ctx) => {
    if (vpc.create && (vpc.id || vpc.privateSubnetIds || vpc.publicSubnetIds)) {
      ctx.addIssue({
        code: "custom",
        message: "give either `create` or an existing `id` with subnets, not both",
        input: vpc,
      });
    } else if (!vpc.create) {
      if (!vpc.id)
        ctx.addIssue({ code: "custom", path: ["id"], message: "is required unless `create` is given", input: vpc.id });
      if (!vpc.privateSubnetIds || vpc.privateSubnetIds.length < 2) {
        ctx.addIssue({
          code: "custom",
          path: ["privateSubnetIds"],
          message:
            "needs at least two private subnets in different AZs (Fargate and the Karpenter controller spread across zones)",
          input: vpc.privateSubnetIds,
        });
      }
      if (!vpc.publicSubnetIds)
        ctx.addIssue({
          code: "custom",
          path: ["publicSubnetIds"],
          message: "is required unless `create` is given (use [] for a private-only VPC)",
          input: vpc.publicSubnetIds,
        });
    }
  });

export type VpcConfig = z.output<typeof vpcSchema>;
