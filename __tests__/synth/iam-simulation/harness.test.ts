import { resources } from "../../../modules/terraform-json";
import { providerContext } from "./identities";
import { judge, KNOWN_DEFECTS, type KnownDefect } from "./known-defects";
import { simulate, type Outcome } from "./simulate";
import { concretePolicy, substitute, SUBSTITUTIONS, type SubstitutionContext } from "./substitution";
import { ALL_OPTIONS_CONFIG, EXAMPLE_CONFIG, synthesized } from "./synthesized";

/** The judge's own machinery: the verdicts, the substitution table and the strictness of the simulation. */

const configs = [EXAMPLE_CONFIG, ALL_OPTIONS_CONFIG].map(synthesized);

describe("judge", () => {
  // A defect as an entry records one (the list itself is empty once every defect is fixed).
  const known: KnownDefect = {
    id: "an example row",
    table: "terraform-cloud",
    issue: "issue 22",
    observed: "allowed",
    why: "an example",
  };
  const wrong = known.observed === "allowed" ? "denied" : "allowed";
  const judgeWith = (id: string, expected: Outcome, observed: Outcome) => judge(id, expected, observed, [known]);

  it("passes a row that is as it should be, and fails one that is not, naming what to do", () => {
    expect(judge("an unlisted row", "denied", "denied")).toBeUndefined();
    expect(judge("an unlisted row", "denied", "allowed")).toMatch(
      /should be denied, the simulation says allowed.*KNOWN_DEFECTS/,
    );
  });

  it("passes a known defect while it reproduces, and fails it once fixed (its entry must go)", () => {
    expect(judgeWith(known.id, wrong, known.observed)).toBeUndefined();
    expect(judgeWith(known.id, wrong, wrong)).toMatch(/no longer reproduces.*delete its KNOWN_DEFECTS entry/);
  });

  it("refuses an entry that records the expected outcome", () => {
    expect(judgeWith(known.id, known.observed, known.observed)).toMatch(/records the expected outcome/);
  });

  it("keeps KNOWN_DEFECTS unique, each with its issue and a reason", () => {
    expect(new Set(KNOWN_DEFECTS.map((entry) => entry.id)).size).toBe(KNOWN_DEFECTS.length);
    for (const entry of KNOWN_DEFECTS) {
      expect(entry.issue).toMatch(/^issue \d+$/);
      expect(entry.why.length).toBeGreaterThan(20);
    }
  });
});

describe("substitution", () => {
  const context: SubstitutionContext = {
    account: "111111111111",
    region: "eu-west-1",
    stackName: "dev-foundation",
    stack: {},
  };

  it("replaces the cluster's OIDC provider and issuer", () => {
    expect(
      substitute('{"a":"${aws_iam_openid_connect_provider.cluster.arn}","b":"${local.oidc_issuer}:sub"}', context, "t"),
    ).toBe(
      '{"a":"arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE","b":"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"}',
    );
  });

  it("fails loudly on an interpolation no row matches, naming it, instead of dropping it", () => {
    expect(() =>
      substitute('{"Resource":"${aws_s3_bucket.logs.arn}/*"}', context, "dev-foundation aws_iam_policy.x"),
    ).toThrow(/dev-foundation aws_iam_policy\.x: cannot substitute \$\{aws_s3_bucket\.logs\.arn\}.*never drop it/);
    expect(() => substitute('{"Resource":"${aws_sqs_queue.missing.arn}"}', context, "t")).toThrow(/no literal name/);
  });

  it("makes every policy document of every synthesized stack concrete, and uses each of its rows", () => {
    const used = new Set<number>();
    let documents = 0;
    for (const synth of configs)
      for (const [stackName, stack] of synth.stacks)
        for (const block of resources(stack))
          for (const attribute of ["policy", "assume_role_policy"]) {
            const text = block.body[attribute];
            if (typeof text !== "string" || !text.trimStart().startsWith("{")) continue;
            const where = `${synth.config} ${stackName} ${block.address}.${attribute}`;
            const document = concretePolicy(text, providerContext(stackName, stack, block.body), where);
            expect([where, JSON.stringify(document).includes("${")]).toEqual([where, false]);
            documents++;
            for (const [index, row] of SUBSTITUTIONS.entries())
              if ([...text.matchAll(/\$\{([^}]*)\}/g)].some((match) => row.expression.test(match[1].trim())))
                used.add(index);
          }
    expect(documents).toBeGreaterThan(50);
    expect(
      SUBSTITUTIONS.map((row, index) => (used.has(index) ? "used" : row.meaning)).filter((x) => x !== "used"),
    ).toEqual([]);
  });
});

describe("simulate", () => {
  const allowAll = [
    {
      name: "all",
      policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] },
    },
  ];
  const base = {
    principal: "arn:aws:iam::111111111111:role/x",
    action: "s3:GetObject",
    resource: "arn:aws:s3:::bucket/key",
    resourceAccount: "111111111111",
    identityPolicies: allowAll,
  };

  it("refuses a context key the call does not send, rather than dropping it", async () => {
    await expect(simulate({ ...base, context: { "ec2:CreateAction": "RunInstances" } })).rejects.toThrow(
      /would drop the context keys ec2:CreateAction/,
    );
  });

  it("refuses a wildcard resource", async () => {
    await expect(simulate({ ...base, resource: "arn:aws:s3:::bucket/*" })).rejects.toThrow(/wildcard resource/);
  });

  it("refuses an unvalidated mark on a request that validates", async () => {
    await expect(simulate({ ...base, unvalidated: "no reason" })).rejects.toThrow(
      /marked unvalidated .* but validates/,
    );
  });

  it("compares web identity claims it had to rename exactly as written", async () => {
    const provider = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    const trust = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: provider },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:a:b" } },
        },
      ],
    };
    const request = (sub: string) => ({
      principal: provider,
      action: "sts:AssumeRoleWithWebIdentity",
      resource: "arn:aws:iam::111111111111:role/r",
      resourceAccount: "111111111111",
      identityPolicies: [],
      resourcePolicy: trust,
      context: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": sub },
    });
    expect((await simulate(request("system:serviceaccount:a:b"))).outcome).toBe("allowed");
    expect((await simulate(request("system:serviceaccount:a:c"))).outcome).toBe("denied");
  });
});
