/**
 * The benchmark's arithmetic, apart from running anything: medians, the per-environment line, and the comparison
 * with the recorded baseline. CPU time (user + system of every node process of a run) is compared as well as wall
 * time: on a shared machine a busy neighbour stretches wall time, while CPU time moves only when the work does.
 */

export interface Measurement {
  readonly id: string;
  readonly title: string;
  readonly stacks: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** Median over runs of the largest RSS of any node process of the run. */
  readonly peakRssMb: number;
  /** Median over runs of user + system CPU of all node processes of the run (less sensitive to a busy machine). */
  readonly cpuSeconds: number;
}

export interface BaselineScenario {
  readonly medianSeconds: number;
  /** Median CPU seconds; absent in baselines recorded before CPU was compared. */
  readonly cpuSeconds?: number;
  readonly peakRssMb: number;
}

export interface Baseline {
  readonly machine: string;
  readonly recorded: string;
  readonly runs: number;
  readonly scenarios: Record<string, BaselineScenario>;
}

export const REGRESSION_TOLERANCE = 0.25;

export const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Least-squares line through (environments, median seconds): the cost of one more environment, and the fixed cost. */
export function fitLine(points: ReadonlyArray<readonly [number, number]>): { slope: number; intercept: number } {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** Scenarios whose median wall or CPU time is more than 25% above the baseline's, one line per figure. */
export function regressions(measurements: ReadonlyArray<Measurement>, baseline: Baseline): string[] {
  return measurements.flatMap((m) => {
    const recorded = baseline.scenarios[m.id];
    if (!recorded) return [];
    const figures: Array<[string, number, number | undefined]> = [
      ["median", m.medianSeconds, recorded.medianSeconds],
      ["CPU", m.cpuSeconds, recorded.cpuSeconds],
    ];
    return figures.flatMap(([what, measured, before]) => {
      if (before === undefined) return [];
      const limit = before * (1 + REGRESSION_TOLERANCE);
      return measured > limit
        ? [
            `${m.title}: ${what} ${measured.toFixed(2)} s > ${limit.toFixed(2)} s (baseline ${before.toFixed(2)} s + 25%)`,
          ]
        : [];
    });
  });
}
