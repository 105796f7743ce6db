import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { ALB_CONTROLLER, ALB_INGRESS_CLASS } from "./names";
import type { NetworkConfig } from "../../config/network-schema";
import { manifestsRelease, type KubernetesObject } from "../../manifests-release";
import { stableId } from "../../naming";

/**
 * One shared ALB per environment. Every Ingress of the default `alb` class joins the same IngressGroup
 * (IngressClassParams enforce group, scheme, TLS policy, certificate and allowed CIDRs for all of them), and a
 * group-owning Ingress defines the listeners: HTTPS 443 with the environment's wildcard certificate, HTTP 80
 * redirecting to HTTPS, and a 404 for any host no Ingress claims.
 *
 * Ordering: the class, its params and the owner Ingress wait for the controller's release; members wait for
 * `members`. Destroy runs the other way: Ingresses go first while the controller still runs to delete the ALB,
 * its target groups and security groups, then the class, the certificate and finally the controller.
 */

export type IngressSettings = NetworkConfig["ingress"];

export interface IngressGroupProps {
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly settings: IngressSettings;
  /** Subnets for the ALB; omitted, the controller discovers them by the `kubernetes.io/role/(internal-)elb` tags. */
  readonly subnetIds?: ReadonlyArray<string>;
  /** The controller's Helm release: its webhooks must serve before IngressClassParams or any Ingress exist. */
  readonly controller: ReadonlyArray<ITerraformDependable>;
}

const alb = (name: string) => `alb.ingress.kubernetes.io/${name}`;
const DEFAULT_ACTION = "default-404";

/** Annotations an Ingress needs to join the group on its HTTPS listener (the class params set the rest). */
export function groupMemberAnnotations(groupName: string): Record<string, string> {
  return {
    [alb("group.name")]: groupName,
    [alb("listen-ports")]: JSON.stringify([{ HTTPS: 443 }]),
    [alb("target-type")]: "ip",
  };
}

export class IngressGroup extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  readonly classParams: Release;
  readonly ingressClass: IngressClassV1;
  readonly owner: IngressV1;

  constructor(scope: Construct, id: string, props: IngressGroupProps) {
    super(scope, id);
    const { domain, settings } = props;

    this.certificate = stableId(
      new AcmCertificate(this, "certificate", {
        domainName: domain,
        subjectAlternativeNames: [`*.${domain}`],
        validationMethod: "DNS",
        tags: { Name: `*.${domain}` },
        // A replaced certificate must be attached to the listener before the old one can be deleted.
        lifecycle: { createBeforeDestroy: true },
      }),
      "ingress_group",
    );

    // `domain` and `*.domain` are validated by the same CNAME, so the (unordered) set of validation options has
    // two entries with identical records: one record from either entry is exact, deterministic and needs no
    // for_each over values unknown until apply.
    const option = Fn.element(Fn.tolist(this.certificate.interpolationForAttribute("domain_validation_options")), 0);
    const record = stableId(
      new Route53Record(this, "validation-record", {
        zoneId: props.hostedZoneId,
        name: Fn.lookupNested(option, ["resource_record_name"]),
        type: Fn.lookupNested(option, ["resource_record_type"]),
        records: [Fn.lookupNested(option, ["resource_record_value"])],
        ttl: 300,
        // ACM reuses the same validation CNAME for a domain in an account: re-creating the certificate adopts it.
        allowOverwrite: true,
      }),
      "ingress_group_validation",
    );
    this.validation = stableId(
      new AcmCertificateValidation(this, "validation", {
        certificateArn: this.certificate.arn,
        validationRecordFqdns: [record.fqdn],
      }),
      "ingress_group",
    );

    this.classParams = manifestsRelease(this, "class-params", {
      name: "alb-ingress-class-params",
      namespace: "kube-system",
      objects: [ingressClassParams(props, this.validation.certificateArn)],
      dependsOn: props.controller,
    });

    this.ingressClass = stableId(
      new IngressClassV1(this, "ingress-class", {
        metadata: { name: ALB_INGRESS_CLASS, annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
        spec: {
          controller: ALB_CONTROLLER,
          parameters: [{ apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: ALB_INGRESS_CLASS }],
        },
        dependsOn: [...props.controller, this.classParams],
      }),
      ALB_INGRESS_CLASS,
    );

    this.owner = stableId(
      new IngressV1(this, "owner", {
        metadata: {
          name: `ingress-group-${settings.groupName}`,
          namespace: "kube-system",
          annotations: ownerAnnotations(props, this.validation.certificateArn),
        },
        spec: {
          ingressClassName: ALB_INGRESS_CLASS,
          defaultBackend: { service: { name: DEFAULT_ACTION, port: { name: "use-annotation" } } },
        },
        // Apply fails unless the controller actually provisions the ALB.
        waitForLoadBalancer: true,
        // Deleting waits for the controller to delete the ALB and remove the Ingress's finalizer.
        timeouts: { create: "15m", delete: "15m" },
        dependsOn: [...props.controller, this.ingressClass, this.classParams],
      }),
      "ingress_group",
    );
  }

  /** What an Ingress joining the group waits for, and is destroyed before. */
  get members(): ITerraformDependable[] {
    return [this.classParams, this.ingressClass, this.owner];
  }
}

/** Class-wide policy: every Ingress of the `alb` class gets these, whatever its own annotations say. */
function ingressClassParams(props: IngressGroupProps, certificateArn: string): KubernetesObject {
  const { settings } = props;
  return {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "IngressClassParams",
    metadata: { name: ALB_INGRESS_CLASS },
    spec: {
      group: { name: settings.groupName },
      scheme: settings.scheme,
      ipAddressType: settings.ipAddressType,
      sslPolicy: settings.sslPolicy,
      sslRedirectPort: "443",
      certificateArn: [certificateArn],
      targetType: "ip",
      ...(settings.inboundCidrs ? { inboundCIDRs: [...settings.inboundCidrs] } : {}),
      ...(props.subnetIds && props.subnetIds.length > 0 ? { subnets: { ids: [...props.subnetIds] } } : {}),
      loadBalancerAttributes: [{ key: "routing.http.drop_invalid_header_fields.enabled", value: "true" }],
    },
  };
}

function ownerAnnotations(props: IngressGroupProps, certificateArn: string): Record<string, string> {
  const { settings } = props;
  const annotations: Record<string, string> = {
    [alb("group.name")]: settings.groupName,
    // Lowest order: the owner's settings win where group members disagree.
    [alb("group.order")]: "-1000",
    [alb("scheme")]: settings.scheme,
    [alb("ip-address-type")]: settings.ipAddressType,
    [alb("target-type")]: "ip",
    [alb("listen-ports")]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    [alb("ssl-redirect")]: "443",
    [alb("ssl-policy")]: settings.sslPolicy,
    [alb("certificate-arn")]: certificateArn,
    [alb(`actions.${DEFAULT_ACTION}`)]: JSON.stringify({
      type: "fixed-response",
      fixedResponseConfig: { contentType: "text/plain", statusCode: "404", messageBody: "not found" },
    }),
  };
  if (settings.inboundCidrs) annotations[alb("inbound-cidrs")] = settings.inboundCidrs.join(",");
  return annotations;
}
