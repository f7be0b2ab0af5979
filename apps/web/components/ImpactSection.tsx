import { metricSeries } from "../lib/api.ts";
import type { DeploymentImpact, MetricComparison } from "../lib/types.ts";
import { ImpactChart } from "./ImpactChart.tsx";

const VERDICTS: Record<DeploymentImpact["verdict"], string> = {
  regressed: "made things worse",
  improved: "made things better",
  no_change: "changed nothing measurable",
  not_enough_data: "cannot be judged yet: not enough metric data",
};
const MAX_CHARTS = 6;

const num = (value: number | null) => (value === null ? "–" : String(Number(value.toPrecision(3))));

/** One metric's comparison in words, as a manager reads it and a statistician would sign. */
export function describeComparison(c: MetricComparison): string {
  if (c.verdict === "not_enough_data") return `not enough data (${c.samples.reference} minutes before, ${c.samples.candidate} after)`;
  const moved = c.relativeChange === null ? "" : ` (${c.relativeChange >= 0 ? "+" : "−"}${Math.abs(c.relativeChange * 100).toFixed(1)}%)`;
  const test = c.pValue === null ? "" : `; Mann–Whitney U ${c.method === "exact" ? "exact" : "normal approx."}, p = ${c.pValue.toPrecision(2)}`;
  const outcome = c.verdict === "regressed" ? "worse" : c.verdict === "improved" ? "better" : "no significant change";
  return `median ${num(c.medians.reference)} → ${num(c.medians.candidate)}${moved}: ${outcome}${test}, ${c.samples.reference} vs ${c.samples.candidate} minutes`;
}

type CanaryStep = NonNullable<DeploymentImpact["canary"]>["steps"][number];

/** Steps to list: a run of consecutive steps that cannot be judged reads as one line, the others one each. */
export function canaryLines(steps: readonly CanaryStep[]): CanaryStep[][] {
  const lines: CanaryStep[][] = [];
  for (const step of steps) {
    const last = lines.at(-1);
    if (last && step.verdict === "not_enough_data" && last[0]!.verdict === "not_enough_data") last.push(step);
    else lines.push([step]);
  }
  return lines;
}

/** What the deployment did to its service's metrics: the verdict, each metric in words and its chart. */
export async function ImpactSection({ impact }: { impact: DeploymentImpact }) {
  const { before, after, metrics } = impact.beforeAfter;
  const charted = metrics.filter((metric) => metric.verdict !== "not_enough_data").slice(0, MAX_CHARTS);
  const to = after?.to ?? new Date().toISOString();
  const series = await Promise.all(charted.map((metric) =>
    metricSeries({ service: impact.service, environment: impact.environment, metric: metric.metric, from: before.from, to, step: 60 })));
  return (
    <section className="card section" aria-labelledby="impact-heading" data-testid="impact" data-verdict={impact.verdict}>
      <h2 id="impact-heading">Metric impact</h2>
      <p>
        This deployment <strong className={`verdict verdict-${impact.verdict}`} data-testid="impact-verdict">{VERDICTS[impact.verdict]}</strong>, comparing
        the {Math.round((Date.parse(before.to) - Date.parse(before.from)) / 60_000)} minutes before it started with the minutes after it finished.
      </p>
      {metrics.length === 0 ? <p className="muted">No metrics of {impact.service} in {impact.environment}: send them over OTLP (docs/metrics.md).</p> : (
        <ul className="impact-list">
          {metrics.map((metric) => {
            const points = series[charted.indexOf(metric)]?.points;
            return (
              <li key={metric.metric} data-testid="impact-metric" data-metric={metric.metric} data-verdict={metric.verdict}>
                <div><span className="mono strong">{metric.metric}</span> <span className={`verdict verdict-${metric.verdict}`}>{metric.verdict.replace(/_/g, " ")}</span></div>
                <div className="small muted">{describeComparison(metric)}</div>
                {points && <ImpactChart metric={metric.metric} points={points.map((point) => ({ at: point.at, value: point.value }))} before={before} after={after} />}
              </li>
            );
          })}
        </ul>
      )}
      {impact.canary && impact.canary.steps.length > 0 && (
        <>
          <h3>Canary against baseline</h3>
          <ol className="canary-steps" data-testid="canary-steps">
            {canaryLines(impact.canary.steps).map((line) => {
              const step = line[0]!;
              const last = line.at(-1)!;
              return (
                <li key={step.step} data-verdict={step.verdict} data-steps={line.length}>
                  {line.length === 1 ? `step ${step.step}` : `steps ${step.step}–${last.step}`} at {line.map((s) => `${s.weight}%`).join(", ")}:{" "}
                  <span className={`verdict verdict-${step.verdict}`}>{VERDICTS[step.verdict]}</span>
                  {step.metrics.filter((metric) => metric.verdict === "regressed").map((metric) => (
                    <div key={metric.metric} className="small muted">{metric.metric}: {describeComparison(metric)}</div>
                  ))}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
