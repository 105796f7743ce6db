import { fitLine, type Measurement } from "./compare";
import { SELECTION_ENVIRONMENTS, SELECTION_ID } from "./scenarios";

/** What the benchmark prints: the Markdown table against the targets, the per-environment slope, the selection line. */

/** Targets from the performance issue; printed beside the numbers. */
const TARGETS: Record<string, { seconds: number; rssMb?: number }> = {
  example: { seconds: 0.5, rssMb: 150 },
  "envs-20": { seconds: 3 },
};

/** The Markdown table of `measurements`, each judged against its target when it has one. */
export function table(measurements: ReadonlyArray<Measurement>): string {
  const s = (value: number) => value.toFixed(2);
  const rows = measurements.map((m) => {
    const target = TARGETS[m.id];
    const verdict = target
      ? m.medianSeconds <= target.seconds && (!target.rssMb || m.peakRssMb <= target.rssMb)
        ? `✓ ≤ ${target.seconds} s${target.rssMb ? `, ≤ ${target.rssMb} MB` : ""}`
        : `✗ > ${target.seconds} s${target.rssMb ? ` or > ${target.rssMb} MB` : ""}`
      : "";
    return `| ${m.title} | ${m.stacks} | ${m.runs} | ${s(m.medianSeconds)} | ${s(m.minSeconds)} – ${s(m.maxSeconds)} | ${s(m.cpuSeconds)} | ${Math.round(m.peakRssMb)} | ${verdict} |`;
  });
  return [
    "| scenario | stacks | runs | median s | min – max s | CPU s (median) | peak RSS MB | target |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

/** The selection scenario against a config with that one environment only: what the other 199 still cost. */
export function selectionLine(measurements: ReadonlyArray<Measurement>): string | undefined {
  const one = measurements.find((m) => m.id === "envs-1");
  const selected = measurements.find((m) => m.id === SELECTION_ID);
  if (!one || !selected) return undefined;
  const extra = (selected.medianSeconds / one.medianSeconds - 1) * 100;
  return `One environment of ${SELECTION_ENVIRONMENTS}: ${selected.medianSeconds.toFixed(2)} s, ${Math.round(selected.peakRssMb)} MB, against ${one.medianSeconds.toFixed(2)} s, ${Math.round(one.peakRssMb)} MB for a one-environment config (${extra >= 0 ? "+" : ""}${extra.toFixed(0)}%: validating the other ${SELECTION_ENVIRONMENTS - 1}).`;
}

/** The per-environment cost over the generated scenarios: a least-squares line and the steps between them. */
export function slopeLine(measurements: ReadonlyArray<Measurement>): string | undefined {
  const points = measurements
    .filter((m) => m.id.startsWith("envs-"))
    .map((m) => [Number(m.id.slice(5)), m.medianSeconds] as const);
  if (points.length < 2) return undefined;
  const { slope, intercept } = fitLine(points);
  const steps = points
    .slice(1)
    .map(([x, y], i) => `${points[i][0]}→${x}: ${((y - points[i][1]) / (x - points[i][0])).toFixed(3)} s/env`);
  return `Per environment: ${slope.toFixed(3)} s (least squares over ${points.map(([x]) => x).join(", ")} environments; fixed cost ${intercept.toFixed(2)} s). Step by step: ${steps.join(", ")}.`;
}
