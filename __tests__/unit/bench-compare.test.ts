import { regressions, type Baseline, type Measurement } from "../../tools/bench/compare";

/** The benchmark check reports a regression of CPU time as well as of wall time (issue 21 item 10). */

const measured = (id: string, medianSeconds: number, cpuSeconds: number): Measurement => ({
  id,
  title: id,
  stacks: 4,
  runs: 5,
  medianSeconds,
  minSeconds: medianSeconds,
  maxSeconds: medianSeconds,
  peakRssMb: 130,
  cpuSeconds,
});
const baseline: Baseline = {
  machine: "test",
  recorded: "2026-12-04",
  runs: 5,
  scenarios: {
    example: { medianSeconds: 1, cpuSeconds: 1.2, peakRssMb: 130 },
    old: { medianSeconds: 1, peakRssMb: 130 },
  },
};

describe("bench regressions", () => {
  it("reports CPU time more than 25% above the baseline even when wall time held", () => {
    expect(regressions([measured("example", 1.0, 1.6)], baseline)).toEqual([
      "example: CPU 1.60 s > 1.50 s (baseline 1.20 s + 25%)",
    ]);
  });

  it("reports wall time, and both when both regressed", () => {
    expect(regressions([measured("example", 1.3, 1.6)], baseline)).toHaveLength(2);
    expect(regressions([measured("example", 1.3, 1.2)], baseline)).toEqual([
      "example: median 1.30 s > 1.25 s (baseline 1.00 s + 25%)",
    ]);
  });

  it("passes within 25%, and compares only wall time with a baseline recorded before CPU was", () => {
    expect(regressions([measured("example", 1.2, 1.45)], baseline)).toEqual([]);
    expect(regressions([measured("old", 1.2, 99)], baseline)).toEqual([]);
    expect(regressions([measured("unknown", 99, 99)], baseline)).toEqual([]);
  });
});
