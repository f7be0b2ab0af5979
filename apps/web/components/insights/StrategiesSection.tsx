import { formatSeconds } from "../../lib/figures.ts";
import { percent, rateWithInterval } from "../../lib/insights.ts";
import type { StrategyInsights } from "../../lib/types.ts";
import { ListTable } from "../ListTable.tsx";

type Figures = StrategyInsights["flagReleased"];
type Row = Figures & { key: string; label: string };

const seconds = (value: number | null) => (value === null ? "–" : formatSeconds(value));
const STRATEGY_NAMES: Record<string, string> = { "": "not named", rolling: "rolling", blue_green: "blue-green", canary: "canary", recreate: "recreate" };

const FIGURE_COLUMNS = [
  { header: "Deployments", numeric: true, cell: (row: Row) => row.changeFailureRate.total },
  { header: "Failed", numeric: true, cell: (row: Row) => <span data-testid="strategy-failed">{row.changeFailureRate.failed}</span> },
  { header: "Change failure rate", cell: (row: Row) => rateWithInterval(row.changeFailureRate) },
  { header: "Median recovery", numeric: true, cell: (row: Row) => seconds(row.recovery.medianSeconds) },
  { header: "Recovered by rollback", numeric: true, cell: (row: Row) => (row.rollbackShare === null ? "–" : `${percent(row.rollbackShare)} (${row.rollbacks})`) },
];

/** Strategies compared (and flag releases), then what canaries did: their steps, where the aborted ones stopped, and how much traffic a bad release reached. */
export function StrategiesSection({ strategies }: { strategies: StrategyInsights }) {
  const { canary } = strategies;
  const byStrategy: Row[] = strategies.strategies.map((row) => ({ ...row, key: row.strategy, label: STRATEGY_NAMES[row.strategy] ?? row.strategy }));
  const byFlag: Row[] = [
    { ...strategies.flagReleased, key: "flag", label: "released by a flag" },
    { ...strategies.notFlagReleased, key: "no-flag", label: "not released by a flag" },
  ];
  const tables = [
    { rows: byStrategy, header: "Strategy", testId: "strategy-table" },
    { rows: byFlag, header: "Change", testId: "flag-table" },
  ];
  return (
    <section className="insight" aria-labelledby="strategies-title" data-testid="strategies-section">
      <h2 id="strategies-title" className="section-title">Strategies compared</h2>
      {tables.map((table) => (
        <ListTable
          key={table.testId}
          rows={table.rows}
          rowKey={(row) => row.key}
          rowAttributes={(row) => ({ "data-testid": "strategy-row", "data-key": row.key })}
          testId={table.testId}
          empty={{ title: "No deployments in this range", body: "Name a strategy with --strategy on drumbeat deploy (rolling, blue_green, canary, recreate)." }}
          columns={[{ header: table.header, cell: (row: Row) => row.label }, ...FIGURE_COLUMNS]}
        />
      ))}
      <h3 className="card-title">Canaries</h3>
      {canary.canaries === 0 ? (
        <div className="state" data-testid="canary-empty">
          <h2>No canary deployments in this range</h2>
          <p>A canary&rsquo;s steps come from the <code>canaryWeight</code> its events set (e.g. 1 → 5 → 25 → 50 → 100).</p>
        </div>
      ) : (
        <div className="insight-grid">
          <div className="card table-scroll">
            <table className="table" data-testid="canary-steps">
              <caption className="card-title caption-left">{canary.canaries} canaries: the weights they reached</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">Weight</th>
                  <th scope="col" className="num">Reached</th>
                  <th scope="col" className="num">Median bake</th>
                  <th scope="col" className="num">Aborted here</th>
                </tr>
              </thead>
              <tbody>
                {canary.steps.map((step) => (
                  <tr key={step.weight} data-testid="canary-step" data-weight={step.weight}>
                    <th scope="row" className="num">{step.weight}%</th>
                    <td className="num">{step.reached}</td>
                    <td className="num">{seconds(step.medianBakeSeconds)}</td>
                    <td className="num" data-testid="aborted-here">{step.abortedHere}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {canary.sequences.length > 0 && (
              <p className="small muted">
                Most common steps: {canary.sequences.map((s) => `${s.weights.join(" → ")} (${s.canaries})`).join(", ")}
              </p>
            )}
          </div>
          <div className="card" data-testid="canary-exposure">
            <h3 className="card-title">Traffic a failed release reached</h3>
            {canary.exposure.meanLargestWeight === null ? (
              <p className="muted">No canary failed in this range.</p>
            ) : (
              <>
                <Exposure label={`Failed canaries (${canary.exposure.failedCanaries}), on average`} weight={canary.exposure.meanLargestWeight} />
                <Exposure label="A full rollout" weight={canary.exposure.fullRollout} />
              </>
            )}
            <p className="small">
              {canary.aborted.count} aborted
              {canary.aborted.stoppedAt.length > 0 && <>: stopped at {canary.aborted.stoppedAt.map((s) => `${s.weight}% (${s.canaries})`).join(", ")}</>}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}

function Exposure({ label, weight }: { label: string; weight: number }) {
  const shown = `${Number(weight.toFixed(1))}%`;
  return (
    <div className="exposure">
      <span className="small">{label}: <span className="strong" data-testid="exposure-weight">{shown}</span> of traffic</span>
      <span className="exposure-track" aria-hidden><span className="exposure-bar" style={{ width: `${Math.min(100, weight)}%` }} /></span>
    </div>
  );
}
