import { formatSeconds } from "../../lib/figures.ts";
import { rateWithInterval } from "../../lib/insights.ts";
import type { BatchInsights } from "../../lib/types.ts";
import { TrendChart } from "../TrendChart.tsx";
import { BatchChart, bucketLabel } from "./BatchChart.tsx";

const seconds = (value: number | null) => (value === null ? "–" : formatSeconds(value));

/** Batch size against failure: the verdict in words, the bars with their intervals, the buckets' counts and the weekly median batch. */
export function BatchSection({ batch }: { batch: BatchInsights }) {
  const withCommits = batch.buckets.reduce((sum, bucket) => sum + bucket.changeFailureRate.total, 0);
  return (
    <section className="insight" aria-labelledby="batch-title" data-testid="batch-section">
      <h2 id="batch-title" className="section-title">Batch size against failure</h2>
      <p className={`insight-verdict insight-verdict-${batch.verdict.verdict}`} data-testid="batch-verdict" data-verdict={batch.verdict.verdict}>
        {batch.verdict.sentence}
      </p>
      {withCommits === 0 ? (
        <div className="state" data-testid="batch-empty">
          <h2>No deployments with commits in this range</h2>
          <p>
            A deployment&rsquo;s batch is the commits its events list{batch.withoutCommits > 0 && <> ({batch.withoutCommits} deployments here listed none)</>}:
            send them with <code>--commit</code> on <code>drumbeat deploy</code>, or in the event&rsquo;s <code>commits</code>.
          </p>
        </div>
      ) : (
        <>
          <div className="insight-grid">
            <div className="card chart">
              <h3 className="card-title">Change failure rate by commits per deployment</h3>
              <BatchChart buckets={batch.buckets} />
              <p className="muted small">Whiskers: 95% Wilson interval. Hatched: fewer than 5 deployments, too few to judge.</p>
            </div>
            <TrendChart
              title="Median commits per deployment, by week"
              format="number"
              points={batch.weeks.map((week) => ({ start: week.start, value: week.medianCommits }))}
            />
          </div>
          <div className="card table-scroll">
            <table className="table" data-testid="batch-table">
              <caption className="sr-only">Batch sizes with their change failure rate, recovery and time since the previous deployment</caption>
              <thead>
                <tr>
                  <th scope="col">Batch</th>
                  <th scope="col" className="num">Deployments</th>
                  <th scope="col" className="num">Failed</th>
                  <th scope="col">Change failure rate</th>
                  <th scope="col" className="num">Median recovery</th>
                  <th scope="col" className="num">Median time since previous</th>
                </tr>
              </thead>
              <tbody>
                {batch.buckets.map((bucket) => (
                  <tr key={bucket.bucket} data-testid="batch-row" data-bucket={bucket.bucket}>
                    <th scope="row">{bucketLabel(bucket)}</th>
                    <td className="num" data-testid="batch-total">{bucket.changeFailureRate.total}</td>
                    <td className="num" data-testid="batch-failed">{bucket.changeFailureRate.failed}</td>
                    <td>{rateWithInterval(bucket.changeFailureRate)}</td>
                    <td className="num">{seconds(bucket.recovery.medianSeconds)}</td>
                    <td className="num">{seconds(bucket.medianSecondsSincePrevious)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {batch.groups && batch.groups.length > 1 && <TeamVerdicts groups={batch.groups} />}
          {batch.withoutCommits > 0 && (
            <p className="muted small">{batch.withoutCommits} deployments listed no commits: they have no batch size and are left out.</p>
          )}
        </>
      )}
    </section>
  );
}

const VERDICT_NAMES: Record<BatchInsights["verdict"]["verdict"], string> = {
  bigger_fail_more: "bigger batches fail more",
  bigger_fail_less: "bigger batches fail less",
  no_clear_difference: "no clear difference",
  too_little_data: "too little data",
};

/** The same verdict per team: one team's big batches may fail more while another's do not. */
function TeamVerdicts({ groups }: { groups: NonNullable<BatchInsights["groups"]> }) {
  return (
    <div className="card table-scroll">
      <table className="table" data-testid="team-verdicts">
        <caption className="card-title caption-left">By team</caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" className="num">With commits</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.key} data-testid="team-verdict" data-team={group.key} data-verdict={group.verdict.verdict}>
              <th scope="row">{group.key}</th>
              <td className="num">{group.buckets.reduce((sum, bucket) => sum + bucket.changeFailureRate.total, 0)}</td>
              <td>
                <span className={`strong insight-word-${group.verdict.verdict}`}>
                  {VERDICT_NAMES[group.verdict.verdict]}{group.verdict.confidence && ` (${group.verdict.confidence})`}
                </span>
                <div className="small muted" data-testid="team-sentence">{group.verdict.sentence}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
