/**
 * The nearest-rank percentile of `values` (p from 0 to 1): the smallest value with at least
 * that share of them at or below it. Every benchmark reports its p50/p95/p99 this way.
 */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))]!;
}
