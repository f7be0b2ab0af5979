import type { Metadata } from "next";
import { DoraTile } from "../components/DoraTile.tsx";
import { GroupTable, type GroupRow } from "../components/GroupTable.tsx";
import { ScopeBar } from "../components/ScopeBar.tsx";
import { ErrorState } from "../components/States.tsx";
import { TrendChart } from "../components/TrendChart.tsx";
import { ApiError, doraGroups, doraSummary, doraTimeseries, listServices } from "../lib/api.ts";
import {
  FIGURE_KEYS, FIGURE_TITLES, GROUP_COLUMNS, figureChange, figureLevel, figureSample, figureValue, formatFigure, thresholdText, type FigureKey,
} from "../lib/figures.ts";
import { formatAbsolute } from "../lib/format.ts";
import { describeRange, doraQueryOf, scopeFrom, scopeQuery, type Scope } from "../lib/scope.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

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

export default async function OverviewPage({ searchParams }: Props) {
  const params = await searchParams;
  const scope = scopeFrom(params);
  const groupBy = params.by === "team" ? "team" : "service";
  const query = doraQueryOf(scope);

  let data;
  try {
    const [catalog, summary, weekly, groups] = await Promise.all([
      listServices(), doraSummary(query), doraTimeseries(query, "week"), doraGroups(query, groupBy),
    ]);
    data = { catalog, summary, weekly, groups };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return (
      <>
        <Header />
        <ErrorState error={error} retryHref={`/?${scopeQuery(scope)}`} />
      </>
    );
  }
  const { catalog, summary, weekly, groups } = data;
  const drillScope = scopeQuery(scope);
  // The three answers are built apart: any one still reading an older build says so for the page.
  const behind = [summary, weekly, groups].find((answer) => !answer.upToDate);

  const rows: GroupRow[] = groups.groups.map((group) => {
    const values = Object.fromEntries(GROUP_COLUMNS.map((column) => [column.key, figureValue(group, column.key)])) as GroupRow["values"];
    const shown = Object.fromEntries(GROUP_COLUMNS.map((column) => [column.key, formatFigure(column.key, values[column.key])])) as GroupRow["shown"];
    const drill: Partial<Scope> = groupBy === "team" ? { team: group.key } : { service: group.key };
    return { key: group.key, href: `/?${scopeQuery(scope, drill)}`, deployments: group.deploymentFrequency.count, values, shown };
  });

  return (
    <>
      <Header />
      <ScopeBar scope={scope} catalog={catalog} action="/" />
      <p className="muted small range-line" data-testid="range" data-from={query.from} data-to={query.to}>
        {describeRange(query)} · {summary.range.environment} · compared with the {Math.round(summary.range.days)} days before
        {behind && (
          <span className="stale" data-testid="stale">
            {" "}· {behind.asOf ? `figures as of ${formatAbsolute(behind.asOf)}` : "first figures are being built"}; newer events are being counted
          </span>
        )}
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
      <div className="section-head">
        <h2>By {groupBy}</h2>
        <nav className="segmented" aria-label="Group by">
          <a href={`/?${scopeQuery(scope)}`} aria-current={groupBy === "service" ? "page" : undefined}>Service</a>
          <a href={`/?${scopeQuery(scope)}${drillScope ? "&" : ""}by=team`} aria-current={groupBy === "team" ? "page" : undefined}>Team</a>
        </nav>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No {groupBy} deployed in this range.</p>
      ) : (
        <GroupTable rows={rows} groupLabel={groupBy === "team" ? "Team" : "Service"} />
      )}
      <p className="muted small footnote">
        Levels follow the {summary.thresholds.report}; hover or focus a level for its thresholds. Every rule: docs/dora.md.
      </p>
    </>
  );
}

function Header() {
  return (
    <div className="page-header">
      <h1>Overview</h1>
      <p className="muted">How often you ship, how fast changes reach production, how often they fail and how fast you recover.</p>
    </div>
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
