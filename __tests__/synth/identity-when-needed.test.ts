import { fixtureStacks } from "../helpers/fixtures";

/**
 * Issue 25 fix 7: an add-on gets an AWS role only when its configuration needs one. cert-manager calls AWS only to
 * solve DNS-01 challenges in Route 53 for the ACME issuer; without one, a role would be an identity nobody uses.
 */

describe("cert-manager's role", () => {
  it("is absent without an ACME issuer (the example)", () => {
    const network = fixtureStacks("example").get("dev-network")!;
    expect(Object.keys(network.resource.aws_iam_role ?? {})).not.toContain("cert_manager");
    const associations = Object.values(network.resource.aws_eks_pod_identity_association ?? {}) as Array<
      Record<string, string>
    >;
    expect(associations.map((association) => association.service_account)).not.toContain("cert-manager");
    const addon = network.resource.aws_eks_addon?.cert_manager;
    if (addon) expect(addon.pod_identity_association).toBeUndefined();
  });

  it("is there with the ACME issuer's DNS-01 rights (all-options staging)", () => {
    const network = fixtureStacks("all-options").get("staging-network")!;
    expect(Object.keys(network.resource.aws_iam_role ?? {})).toContain("cert_manager");
    expect(JSON.stringify(network.resource.aws_iam_policy ?? {})).toContain("route53:ChangeResourceRecordSets");
  });
});
