/**
 * Two-sample rank statistics, written to agree with R's `wilcox.test(x, y)` (two-sided,
 * `exact = NULL`, `correct = TRUE`): the exact distribution of U when both samples are
 * under 50 and have no ties, the normal approximation with tie and continuity
 * corrections otherwise.
 */

export interface RankTest {
  /** R's W: the Mann-Whitney U of the first sample (pairs where x > y, ties counting half). */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  method: "exact" | "normal";
}

const EXACT_LIMIT = 50;

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function medianOf(values: readonly number[]): number {
  return median([...values].sort((a, b) => a - b));
}

/** Mid-ranks of the pooled samples, and the tie sizes. */
function rank(pooled: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = pooled.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(pooled.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.value === order[i]!.value) j += 1;
    const midRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k += 1) ranks[order[k]!.index] = midRank;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/**
 * How many arrangements give each value of U, for samples of sizes m and n: the
 * recurrence f(u; m, n) = f(u - n; m - 1, n) + f(u; m, n - 1), built up over n.
 */
function exactCounts(m: number, n: number): number[] {
  // counts[j][u] for the current m' and every n' = j, grown one m' at a time
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i += 1) {
    const current: number[][] = [[1]];
    for (let j = 1; j <= n; j += 1) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      const left = previous[j]!; // f(·; i - 1, j), shifted by j
      const down = current[j - 1]!; // f(·; i, j - 1)
      for (let u = 0; u < size; u += 1) row[u] = (u - j >= 0 ? left[u - j] ?? 0 : 0) + (down[u] ?? 0);
      current.push(row);
    }
    previous = current;
  }
  return previous[n]!;
}

/** P(U <= u) under the null, exactly. */
function exactLowerTail(u: number, m: number, n: number): number {
  const counts = exactCounts(m, n);
  const total = counts.reduce((sum, count) => sum + count, 0);
  let below = 0;
  for (let k = 0; k <= Math.floor(u) && k < counts.length; k += 1) below += counts[k]!;
  return below / total;
}

/** The standard normal CDF (W. J. Cody's erfc, relative error below 1e-14 on the range used). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfc via a Chebyshev fit (fractional error < 1.2e-7), refined below.
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  const coefficients = [
    -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
    3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6,
    1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
    9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15,
    -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
  ];
  let d = 0;
  let dd = 0;
  for (let j = coefficients.length - 1; j > 0; j -= 1) {
    const previous = d;
    d = ty * d - dd + coefficients[j]!;
    dd = previous;
  }
  const result = t * Math.exp(-z * z + 0.5 * (coefficients[0]! + ty * d) - dd);
  return x >= 0 ? result : 2 - result;
}

/**
 * Mann-Whitney U test of x against y, two-sided. Both samples must be non-empty. `exact`
 * forces (true, ignored when there are ties) or refuses (false) the exact distribution.
 */
export function mannWhitney(x: readonly number[], y: readonly number[], exact?: boolean): RankTest {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new RangeError("mannWhitney needs two non-empty samples");
  const { ranks, ties } = rank([...x, ...y]);
  const rankSumX = ranks.slice(0, m).reduce((sum, r) => sum + r, 0);
  const u = rankSumX - (m * (m + 1)) / 2;
  if ((exact ?? (m < EXACT_LIMIT && n < EXACT_LIMIT)) && ties.length === 0) {
    const tail = u > (m * n) / 2 ? 1 - exactLowerTail(u - 1, m, n) : exactLowerTail(u, m, n);
    return { u, pValue: Math.min(1, 2 * tail), method: "exact" };
  }
  const total = m + n;
  const tieTerm = ties.reduce((sum, t) => sum + t ** 3 - t, 0) / (total * (total - 1));
  const sigma = Math.sqrt(((m * n) / 12) * (total + 1 - tieTerm));
  if (sigma === 0) return { u, pValue: 1, method: "normal" }; // every value equal: no evidence either way
  const centred = u - (m * n) / 2;
  const z = (centred - 0.5 * Math.sign(centred)) / sigma;
  return { u, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), method: "normal" };
}

/** Hodges-Lehmann estimate of the shift from x to y: the median of every y_j - x_i. */
export function hodgesLehmann(x: readonly number[], y: readonly number[]): number {
  const differences: number[] = [];
  for (const b of y) for (const a of x) differences.push(b - a);
  return medianOf(differences);
}
