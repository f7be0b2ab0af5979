/** One histogram bucket: observations in (lower, upper]. */
export interface HistogramBucket {
  lower: number;
  upper: number;
  count: number;
}

/**
 * Buckets of an explicit-bounds histogram. The open first and last buckets are closed by
 * the point's min and max when it has them, else by the nearest bound (as Prometheus'
 * histogram_quantile does), so an estimate never leaves the observed range.
 */
export function explicitBuckets(bounds: readonly number[], counts: readonly number[], min?: number, max?: number): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  for (let i = 0; i < counts.length; i += 1) {
    const lower = i === 0 ? Math.min(min ?? Math.min(0, bounds[0] ?? 0), bounds[0] ?? 0) : bounds[i - 1]!;
    const upper = i < bounds.length ? bounds[i]! : Math.max(max ?? lower, lower);
    buckets.push({ lower, upper, count: counts[i]! });
  }
  return buckets;
}

export interface ExponentialSide {
  offset: number;
  counts: readonly number[];
}

/**
 * Buckets of an exponential histogram: index i covers (base^i, base^(i+1)] with
 * base = 2^(2^-scale); negative buckets mirror the positive ones; the zero bucket is 0.
 */
export function exponentialBuckets(scale: number, zeroCount: number, positive: ExponentialSide, negative: ExponentialSide): HistogramBucket[] {
  const base = 2 ** (2 ** -scale);
  const buckets: HistogramBucket[] = [];
  for (let k = negative.counts.length - 1; k >= 0; k -= 1) {
    const index = negative.offset + k;
    buckets.push({ lower: -(base ** (index + 1)), upper: -(base ** index), count: negative.counts[k]! });
  }
  if (zeroCount > 0) buckets.push({ lower: 0, upper: 0, count: zeroCount });
  positive.counts.forEach((count, k) => {
    const index = positive.offset + k;
    buckets.push({ lower: base ** index, upper: base ** (index + 1), count });
  });
  return buckets;
}

/**
 * The q-quantile of bucketed observations, interpolating linearly inside the bucket that
 * holds it; undefined when there are no observations.
 */
export function bucketQuantile(buckets: readonly HistogramBucket[], q: number): number | undefined {
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total <= 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (const bucket of buckets) {
    if (bucket.count > 0 && seen + bucket.count >= rank) {
      return bucket.lower + (bucket.upper - bucket.lower) * ((rank - seen) / bucket.count);
    }
    seen += bucket.count;
  }
  const nonEmpty = buckets.filter((bucket) => bucket.count > 0);
  return nonEmpty[nonEmpty.length - 1]!.upper;
}
