import { ECHO_DEFAULT_CIDRS } from "../../modules/config/echo-schema";
import { PINS } from "../../modules/versions";
import { fixtureStacks } from "../helpers/fixtures";
import type { StackJson } from "../helpers/config";

/**
 * The echo server as the shared fixtures synthesize it: config/example.yaml (dev: internet-facing ALB, defaults)
 * and config/all-options.yaml (staging: internal ALB, its own network.echo.allowedCidrs). Issue 24 item 10: it
 * proves the network layer without exposing more than the proof needs. Opening it to the internet and turning it
 * off: network-variants.test.ts.
 */

let network: StackJson;
beforeAll(() => {
  network = fixtureStacks("example").get("dev-network")!;
});

describe("echo server", () => {
  const echoPod = () =>
    (
      network.resource.kubernetes_deployment_v1.echo_server as {
        spec: {
          template: {
            spec: { security_context: Record<string, unknown>; container: Array<Record<string, unknown>> };
          };
        };
      }
    ).spec.template.spec;

  it("runs the pinned image as non-root on a read-only root file system, with resources and probes", () => {
    const pod = echoPod();
    expect(pod.security_context).toMatchObject({ run_as_non_root: true });
    const [container] = pod.container;
    expect(container).toMatchObject({
      // Tag and digest come from the add-on's version pin: the tag for readers, the digest is what is pulled.
      image: `ealen/echo-server:${PINS["echo-server"].manifests[0].version}@${PINS["echo-server"].manifests[0].digest}`,
      security_context: {
        read_only_root_filesystem: true,
        allow_privilege_escalation: false,
        capabilities: { drop: ["ALL"] },
      },
      resources: {
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { memory: expect.any(String) },
      },
    });
    expect(container.readiness_probe).toBeDefined();
    expect(container.liveness_probe).toBeDefined();
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it("echoes the request only: no environment, no file reads, no response headers or cookies set by the caller", () => {
    const [container] = echoPod().container;
    const env = Object.fromEntries(
      (container.env as Array<{ name: string; value: string }>).map(({ name, value }) => [name, value]),
    );
    expect(env).toMatchObject({
      ENABLE__ENVIRONMENT: "false",
      ENABLE__FILE: "false",
      ENABLE__HEADER: "false",
      ENABLE__COOKIES: "false",
      // One line per request (method and URL): the default logs every request's headers, Authorization included.
      LOGS__FORMAT: "line",
    });
  });

  it("answers only the private ranges by default: its listener rule has a source-ip condition", () => {
    const annotations = (
      network.resource.kubernetes_ingress_v1.echo_server.metadata as { annotations: Record<string, string> }
    ).annotations;
    // The condition is keyed by the backend Service's name.
    expect(JSON.parse(annotations["alb.ingress.kubernetes.io/conditions.echo-server"])).toEqual([
      { field: "source-ip", sourceIpConfig: { values: [...ECHO_DEFAULT_CIDRS] } },
    ]);
  });

  it("joins the group at echo.<domain> on the HTTPS listener", () => {
    expect(network.resource.kubernetes_ingress_v1.echo_server).toMatchObject({
      metadata: {
        name: "echo-server",
        annotations: {
          "alb.ingress.kubernetes.io/group.name": "shared",
          "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
        },
      },
      spec: { ingress_class_name: "alb", rule: [{ host: "echo.dev.example.com" }] },
    });
  });
});

describe("echo server on an internal ALB with its own CIDRs (config/all-options.yaml, staging)", () => {
  it("answers the listed CIDRs only, in the group of the environment's internal ALB", () => {
    const ingress = fixtureStacks("all-options").get("staging-network")!.resource.kubernetes_ingress_v1.echo_server as {
      metadata: { annotations: Record<string, string> };
    };
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.name"]).toBe("staging");
    expect(JSON.parse(ingress.metadata.annotations["alb.ingress.kubernetes.io/conditions.echo-server"])).toEqual([
      { field: "source-ip", sourceIpConfig: { values: ["10.40.0.0/16"] } },
    ]);
  });
});
