/**
 * Kubernetes resource quantities (`500m`, `4Gi`, `1e3`), parsed as the API server does, so a size the config or
 * add-on `values` give is refused at validation when it does not parse, instead of failing the Helm install or
 * the node pool at apply. Grammar: an optionally signed decimal number, then a binary-SI suffix (Ki..Ei), a
 * decimal-SI suffix (n, u, m, k, M..E) or a decimal exponent (e3, E-2).
 */

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** The quantity's value in base units (cores, bytes), or `undefined` when it is not a Kubernetes quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, number, suffix = "", exponent] = match;
  const factor = exponent !== undefined ? 10 ** Number(exponent) : (BINARY[suffix] ?? DECIMAL[suffix]);
  const value = Number(number) * factor;
  return Number.isFinite(value) ? value : undefined;
}

/** A problem with a quantity where a size is needed (positive), or `undefined`. */
export function sizeProblem(value: number | string): string | undefined {
  const parsed = typeof value === "number" ? value : parseQuantity(value);
  if (parsed === undefined || !Number.isFinite(parsed))
    return "must be a Kubernetes quantity such as 1000, 500m or 4000Gi";
  return parsed > 0 ? undefined : "must be more than zero: it is a size";
}
