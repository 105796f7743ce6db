import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chartOfSchemaFile } from "../../tools/validate/chart-values";
import { loadReference } from "../../tools/validate";
import { runValidateCommand } from "../../tools/validate/cli";

/**
 * The CLI end to end, on a reference directory laid out like `../shared/reference` but holding small
 * fixtures written here, and a cdktf output directory with one stack.
 */

const ROOT = path.resolve(__dirname, "..", "..");

const CRD_YAML = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ingressclassparams.elbv2.k8s.aws
spec:
  group: elbv2.k8s.aws
  names:
    kind: IngressClassParams
    plural: ingressclassparams
  scope: Cluster
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: IngressClassParams is the Schema for the IngressClassParams API
        type: object
        properties:
          spec:
            type: object
            properties:
              scheme:
                description: Scheme defines the scheme for all Ingresses that belong to IngressClass with this IngressClassParams.
                type: string
                enum: [internal, internet-facing]
`;

const PROVIDER_SCHEMA = {
  format_version: "1.0",
  provider_schemas: {
    "registry.terraform.io/hashicorp/kubernetes": {
      resource_schemas: {
        kubernetes_manifest: { block: { attributes: { manifest: { type: "dynamic", required: true } } } },
      },
      data_source_schemas: {},
    },
  },
};

let workDir: string;

function writeFixtures(scheme: string): { reference: string; out: string } {
  const reference = path.join(workDir, "reference");
  fs.mkdirSync(path.join(reference, "provider-schemas"), { recursive: true });
  fs.mkdirSync(path.join(reference, "crds"), { recursive: true });
  fs.writeFileSync(path.join(reference, "provider-schemas", "kubernetes-2.38.0.json"), JSON.stringify(PROVIDER_SCHEMA));
  fs.writeFileSync(path.join(reference, "crds", "elbv2.k8s.aws_ingressclassparams-v3.5.0.yaml"), CRD_YAML);
  const out = path.join(workDir, "cdktf.out");
  const stackDir = path.join(out, "stacks", "dev-network");
  fs.mkdirSync(stackDir, { recursive: true });
  const manifest = {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "IngressClassParams",
    metadata: { name: "internal" },
    spec: { scheme },
  };
  fs.writeFileSync(
    path.join(stackDir, "cdk.tf.json"),
    JSON.stringify({ resource: { kubernetes_manifest: { ingress_class_params: { manifest } } } }),
  );
  return { reference, out };
}

interface Run {
  readonly status: number | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** `npm run validate -- <args>` as a child process: its exit code and streams. */
function run(...args: string[]): Run {
  const result = spawnSync(process.execPath, ["scripts/app.js", "tools/validate/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: result.status, lines: result.stdout.trim().split("\n"), stderr: result.stderr };
}

/**
 * The same command in-process (the function tools/validate/main.ts calls with the process's streams and sets the
 * exit code from): one child above proves that wiring; the other cases need no process of their own.
 */
async function runHere(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
    env: {},
    command: "npm run validate --",
  };
  const status = await runValidateCommand(args, io);
  return { status, lines: stdout.trim().split("\n"), stderr };
}

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-cli-"));
});

afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("npm run validate", () => {
  test("one line per finding, a summary, exit 1 on errors; absent parts of the reference are skipped", () => {
    const { reference, out } = writeFixtures("public");
    const result = run("--reference", reference, "--out", out);
    expect(result.status).toBe(1);
    expect(result.lines.slice(0, -1)).toEqual([
      "* helm-values-schemas/: skipped: absent from the reference directory; these checks did not run",
      "* iam-policies/: skipped: absent from the reference directory; these checks did not run",
      'dev-network kubernetes_manifest.ingress_class_params: manifest: spec.scheme: must be one of "internal", "internet-facing", got "public" (CRD elbv2.k8s.aws_ingressclassparams-v3.5.0.yaml)',
    ]);
    expect(result.lines[result.lines.length - 1]).toMatch(
      /^validate FAILED: 1 error\(s\), 0 warning\(s\), 2 skipped check\(s\) in 1 stack\(s\) \(\d+ ms\)$/,
    );
  }, 30_000);

  test("exit 0 when everything checked passes; --quiet hides skipped checks", async () => {
    const { reference, out } = writeFixtures("internal");
    const result = await runHere("--reference", reference, `--out=${out}`, "--quiet");
    expect(result.status).toBe(0);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/^validate passed: 0 error\(s\)/);
  }, 30_000);

  test("exit 2 on bad usage or an unreadable reference file, naming the file", async () => {
    const usage = await runHere();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("--reference is required");
    const { reference, out } = writeFixtures("internal");
    const broken = path.join(reference, "provider-schemas", "aws-6.25.0.json");
    fs.writeFileSync(broken, "{ truncated");
    const result = await runHere("--reference", reference, "--out", out);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`Reference file ${broken} is not valid JSON`);
  }, 30_000);
});

describe("reference layout", () => {
  test("values schema file names map to chart and version", () => {
    expect(chartOfSchemaFile("cert-manager-v1.21.1.json")).toEqual({ chart: "cert-manager", version: "1.21.1" });
    expect(chartOfSchemaFile("external-dns-chart-1.21.1.json")).toEqual({ chart: "external-dns", version: "1.21.1" });
    expect(chartOfSchemaFile("external-secrets-2.9.0.json")).toEqual({ chart: "external-secrets", version: "2.9.0" });
    expect(chartOfSchemaFile("reloader-2.2.16.json")).toEqual({ chart: "reloader", version: "2.2.16" });
  });

  test("CRDs are indexed from their header without being parsed", () => {
    writeFixtures("internal");
    const crdFile = path.join(workDir, "reference", "crds", "elbv2.k8s.aws_ingressclassparams-v3.5.0.yaml");
    fs.appendFileSync(crdFile, "        broken: [\n");
    const reference = loadReference(path.join(workDir, "reference"));
    expect(reference.crds.size).toBe(1);
    expect(() => reference.crds.lookup("elbv2.k8s.aws", "v1beta1", "IngressClassParams")).toThrow(/is not valid YAML/);
  });
});
