import { failedOf, percent, rateWithInterval, TOO_FEW } from "../../lib/insights.ts";
import type { BatchBucket } from "../../lib/types.ts";

const WIDTH = 560;
const HEIGHT = 230;
const PLOT = { left: 44, right: 12, top: 12, bottom: 52 };

export const bucketLabel = (bucket: BatchBucket) =>
  bucket.maxCommits === null ? `more than ${bucket.minCommits - 1} commits` : bucket.minCommits === bucket.maxCommits
    ? `${bucket.minCommits} commit${bucket.minCommits === 1 ? "" : "s"}` : `${bucket.minCommits}–${bucket.maxCommits} commits`;

/**
 * Change failure rate per batch size as bars, each with its 95% Wilson interval as a
 * whisker and its counts underneath. A bucket with fewer than TOO_FEW deployments is
 * hatched, an empty one has no bar and says so: neither reads as safe.
 */
export function BatchChart({ buckets }: { buckets: BatchBucket[] }) {
  const highest = Math.max(0.2, ...buckets.map((b) => b.changeFailureRate.high ?? 0));
  const top = Math.min(1, Math.ceil(highest * 5) / 5);
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const y = (rate: number) => PLOT.top + plotHeight * (1 - rate / top);
  const slot = (WIDTH - PLOT.left - PLOT.right) / buckets.length;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  return (
    <svg className="batch-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label="Change failure rate by batch size, with 95% intervals">
      <defs>
        <pattern id="batch-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" className="hatch-bg" />
          <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" strokeWidth="3" />
        </pattern>
      </defs>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(tick)} y2={y(tick)} className="grid-line" />
          <text x={PLOT.left - 6} y={y(tick) + 4} textAnchor="end" className="axis-text">{percent(tick)}</text>
        </g>
      ))}
      {buckets.map((bucket, i) => {
        const share = bucket.changeFailureRate;
        const center = PLOT.left + slot * (i + 0.5);
        const barWidth = slot * 0.5;
        const label = `${bucketLabel(bucket)}: ${share.total === 0 ? "no deployments" : `${failedOf(share)}, ${rateWithInterval(share)}`}${share.total > 0 && share.total < TOO_FEW ? "; too few to judge" : ""}`;
        return (
          <g key={bucket.bucket} role="img" aria-label={label} data-testid="batch-bar" data-bucket={bucket.bucket}>
            <title>{label}</title>
            {share.rate !== null && (
              <rect
                x={center - barWidth / 2} width={barWidth} y={y(share.rate)} height={Math.max(1, y(0) - y(share.rate))}
                className={share.total < TOO_FEW ? "bar bar-few" : "bar"}
              />
            )}
            {share.low !== null && share.high !== null && (
              <g className="whisker">
                <line x1={center} x2={center} y1={y(share.high)} y2={y(share.low)} />
                <line x1={center - 8} x2={center + 8} y1={y(share.high)} y2={y(share.high)} />
                <line x1={center - 8} x2={center + 8} y1={y(share.low)} y2={y(share.low)} />
              </g>
            )}
            {share.rate === null && <text x={center} y={y(0) - 8} textAnchor="middle" className="axis-text">no deployments</text>}
            <text x={center} y={HEIGHT - PLOT.bottom + 16} textAnchor="middle" className="bucket-name">{bucket.bucket === "1" ? "1 commit" : `${bucket.bucket} commits`}</text>
            <text x={center} y={HEIGHT - PLOT.bottom + 32} textAnchor="middle" className="axis-text" data-testid="batch-count">
              {share.failed} of {share.total} failed
            </text>
            {share.rate !== null && (
              <text x={center} y={HEIGHT - PLOT.bottom + 46} textAnchor="middle" className="axis-text">{percent(share.rate)}</text>
            )}
          </g>
        );
      })}
      <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(0)} y2={y(0)} className="axis-line" />
    </svg>
  );
}
