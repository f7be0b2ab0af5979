import type { doraSummary, doraTimeseries } from "../../lib/api.ts";
import {
  FIGURE_KEYS, FIGURE_TITLES, figureChange, figureLevel, figureSample, figureValue, formatFigure, thresholdText, type FigureKey,
} from "../../lib/figures.ts";
import { formatAbsolute } from "../../lib/format.ts";
import { describeRange, scopeQuery, type DoraQuery, type Scope } from "../../lib/scope.ts";
import { DoraTile } from "../DoraTile.tsx";
import { TrendChart } from "../TrendChart.tsx";
import { readOrError } from "../readOrError.tsx";

type Summary = Awaited<ReturnType<typeof doraSummary>>;
type Weekly = Awaited<ReturnType<typeof doraTimeseries>>;

/** Where each tile drills down to. */
const DRILL_DOWNS: Partial<Record<FigureKey, string>> = {
  deploymentFrequency: "/deployments",
  leadTime: "/lead-times",
  changeFailureRate: "/failures",
  recoveryTime: "/failures",
};

const TRENDS: { key: FigureKey; format: "perDay" | "seconds" | "rate" }[] = [
  { key: "deploymentFrequency", format: "perDay" },
  { key: "leadTime", format: "seconds" },
  { key: "changeFailureRate", format: "rate" },
  { key: "recoveryTime", format: "seconds" },
];

/**
 * The range line, the five tiles and the weekly trends, once the summary and the weekly
 * series have arrived (the page streams them in place of OverviewFiguresPending).
 */
export async function OverviewFigures({ scope, query, summary: pendingSummary, weekly: pendingWeekly }: {
  scope: Scope; query: DoraQuery; summary: Promise<Summary>; weekly: Promise<Weekly>;
}) {
  const read = await readOrError(Promise.all([pendingSummary, pendingWeekly]), `/?${scopeQuery(scope)}`);
  if (read.failed) return read.failed;
  const [summary, weekly] = read.data;
  const drillScope = scopeQuery(scope);
  // Built apart, either answer may still read an older build: say so for both.
  const behind = [summary, weekly].find((answer) => !answer.upToDate);
  return (
    <>
      <p className="muted small range-line" data-testid="range" data-from={query.from} data-to={query.to}>
        {describeRange(query)} · {summary.range.environment} · compared with the {Math.round(summary.range.days)} days before
        {behind && <StaleNote asOf={behind.asOf} />}
      </p>
      <div className="tiles">
        {FIGURE_KEYS.map((key) => (
          <DoraTile
            key={key}
            figure={key}
            title={FIGURE_TITLES[key]}
            value={formatFigure(key, figureValue(summary, key))}
            sample={figureSample(summary, key)}
            level={figureLevel(summary, key)}
            thresholds={thresholdText(summary.thresholds, key)}
            change={figureChange(key, figureValue(summary, key), figureValue(summary.previous, key))}
            spark={weekly.points.map((point) => figureValue(point, key))}
            href={DRILL_DOWNS[key] ? `${DRILL_DOWNS[key]}?${drillScope}` : undefined}
          />
        ))}
      </div>
      {summary.deploymentFrequency.count === 0 && summary.changeFailureRate.total === 0 && <NoDeploymentsYet />}
      <div className="trends">
        {TRENDS.map(({ key, format }) => (
          <TrendChart key={key} title={FIGURE_TITLES[key]} format={format} points={weekly.points.map((point) => ({ start: point.start, value: figureValue(point, key) }))} />
        ))}
      </div>
    </>
  );
}

/** What OverviewFigures shows while its answers are on the way: the same boxes, so nothing moves when they arrive. */
export function OverviewFiguresPending({ query }: { query: DoraQuery }) {
  return (
    <div aria-busy="true" data-testid="figures-pending">
      <p className="muted small range-line">{describeRange(query)} · counting…</p>
      <div className="tiles">
        {FIGURE_KEYS.map((key) => (
          <DoraTile key={key} figure={key} title={FIGURE_TITLES[key]} value="…" sample="" level={null} thresholds={null} change={null} spark={[]} />
        ))}
      </div>
      <div className="trends">
        {TRENDS.map(({ key, format }) => <TrendChart key={key} title={FIGURE_TITLES[key]} format={format} points={[]} />)}
      </div>
    </div>
  );
}

export function StaleNote({ asOf }: { asOf: string | null }) {
  return (
    <span className="stale" data-testid="stale">
      {" "}· {asOf ? `figures as of ${formatAbsolute(asOf)}` : "first figures are being built"}; newer events are being counted
    </span>
  );
}

function NoDeploymentsYet() {
  return (
    <div className="state" data-testid="empty-state">
      <h2>No production deployments in this range</h2>
      <p>The figures fill in as soon as your CI reports deployments, for example:</p>
      <pre className="code">{`npx drumbeat deploy --service checkout --environment production --status succeeded`}</pre>
      <p className="small muted">or POST a <code>deployment</code> event to <code>/api/v1/events</code>; <code>npm run drumbeat -- demo</code> loads 90 days of sample history.</p>
    </div>
  );
}
