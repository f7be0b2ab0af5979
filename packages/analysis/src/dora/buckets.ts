import { InvalidRangeError, type Bucket, type DoraRange } from "./definitions.ts";

const DAY = 86_400_000;

/** The UTC start of the bucket holding `at`; weeks start on Monday. */
export function bucketStart(at: Date, bucket: Bucket): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (bucket === "day") return new Date(day);
  if (bucket === "week") return new Date(day - ((at.getUTCDay() + 6) % 7) * DAY);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

function nextBucket(start: Date, bucket: Bucket): Date {
  if (bucket === "day") return new Date(start.getTime() + DAY);
  if (bucket === "week") return new Date(start.getTime() + 7 * DAY);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

export interface BucketSpan {
  /** The key the SQL gives the bucket (its start date, YYYY-MM-DD). */
  key: string;
  start: Date;
  end: Date;
  /** The part of the bucket inside the range: what per-day rates divide by. */
  covered: DoraRange;
}

/** Every bucket overlapping the range, empty ones included. */
export function bucketsOf(range: DoraRange, bucket: Bucket): BucketSpan[] {
  const spans: BucketSpan[] = [];
  for (let start = bucketStart(range.from, bucket); start < range.to; start = nextBucket(start, bucket)) {
    const end = nextBucket(start, bucket);
    spans.push({
      key: start.toISOString().slice(0, 10),
      start,
      end,
      covered: { from: start < range.from ? range.from : start, to: end > range.to ? range.to : end },
    });
  }
  return spans;
}

/** The most buckets a time series has: each is a row of figures in the answer. */
export const MAX_BUCKETS = 1_000;

/** Refuses a range with more than MAX_BUCKETS buckets, before anything is read. */
export function checkBucketCount(range: DoraRange, bucket: Bucket): void {
  let count = 0;
  for (let start = bucketStart(range.from, bucket); start < range.to; start = nextBucket(start, bucket)) {
    if (++count > MAX_BUCKETS) {
      throw new InvalidRangeError(`the range has more than ${MAX_BUCKETS} ${bucket} buckets; the limit is ${MAX_BUCKETS} buckets: choose a wider bucket or a shorter range`);
    }
  }
}
