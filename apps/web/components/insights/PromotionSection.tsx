import { Link } from "../Link.tsx";
import { formatSeconds } from "../../lib/figures.ts";
import { formatAbsolute, shortVersion } from "../../lib/format.ts";
import { percent } from "../../lib/insights.ts";
import type { PromotionInsights } from "../../lib/types.ts";
import { deploymentHref } from "../DeploymentRow.tsx";
import { ListTable } from "../ListTable.tsx";

const seconds = (value: number | null) => (value === null ? "–" : formatSeconds(value));
/** A path ends in production (`["production"]` alone: straight there). */
const pathText = (path: readonly string[]) => (path.length <= 1 ? "straight to production" : path.join(" → "));

/** Build once, promote: per service how much reached production as the artifact that was tested, the paths taken, and the deployments that were not. */
export function PromotionSection({ promotion }: { promotion: PromotionInsights }) {
  return (
    <section className="insight" aria-labelledby="promotion-title" data-testid="promotion-section">
      <h2 id="promotion-title" className="section-title">Build once, promote</h2>
      <p className="muted">
        What was tested should be what runs: each production deployment&rsquo;s artifact (else its version), followed back through the environments where it succeeded first.
      </p>
      <ListTable
        rows={promotion.services}
        rowKey={(row) => row.service}
        rowAttributes={(row) => ({ "data-testid": "promotion-row", "data-service": row.service })}
        testId="promotion-table"
        empty={{ title: "No production deployments in this range", body: "Each service’s promotion shows once it deploys to production." }}
        columns={[
          { header: "Service", cell: (row) => row.service },
          { header: "Production deployments", numeric: true, cell: (row) => row.deployments },
          {
            header: "Promoted unchanged", numeric: true,
            cell: (row) => <span data-testid="promoted-share">{row.promotedShare === null ? "–" : `${percent(row.promotedShare)} (${row.promotedUnchanged})`}</span>,
          },
          { header: "Straight to production", numeric: true, cell: (row) => row.straightToProduction },
          { header: "Rebuilt", numeric: true, cell: (row) => row.rebuilt },
          { header: "Median time to production", numeric: true, cell: (row) => seconds(row.medianSecondsToProduction) },
        ]}
      />
      {promotion.services.length > 0 && (
        <div className="insight-grid">
          <div className="card">
            <h3 className="card-title">Paths to production</h3>
            <ul className="plain-list" data-testid="promotion-paths">
              {promotion.paths.map((path) => (
                <li key={path.path.join(">")}>
                  <span className="strong" data-testid="promotion-path">{pathText(path.path)}</span>
                  <span className="muted">
                    {" "}· {path.deployments} deployments{path.medianSecondsToProduction !== null && <> · median {seconds(path.medianSecondsToProduction)} to production</>}
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <h3 className="card-title">Time in each environment before promotion</h3>
            {promotion.stages.length === 0 ? (
              <p className="muted">No artifact ran in an earlier environment before production.</p>
            ) : (
              <ul className="plain-list">
                {promotion.stages.map((stage) => (
                  <li key={stage.environment}>
                    <span className="strong">{stage.environment}</span>
                    <span className="muted"> · {stage.deployments} deployments · median {seconds(stage.medianSecondsBeforePromotion)} before the next environment</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      <h3 className="card-title">Not what was tested</h3>
      <ListTable
        rows={promotion.flagged}
        rowKey={(row) => row.deploymentId}
        rowAttributes={(row) => ({ "data-testid": "flagged-row", "data-deployment": row.deploymentId })}
        testId="flagged-table"
        empty={{ title: "Every production deployment ran earlier as the same artifact", body: "Nothing went straight to production or was rebuilt in this range." }}
        columns={[
          { header: "Deployment", cell: (row) => <Link href={deploymentHref(row.deploymentId)} className="row-link">{row.service} {shortVersion(row.version)}</Link> },
          {
            header: "Why", cell: (row) => (
              <>
                {row.straightToProduction && <span className="tag tag-rollback">straight to production</span>}{" "}
                {row.rebuilt && <span className="tag tag-hotfix">rebuilt</span>}{" "}
                {row.failed && <span className="tag tag-failed">failed</span>}
              </>
            ),
          },
          { header: "Artifact", cell: (row) => (row.artifact ? <span className="mono small break">{row.artifact}</span> : <span className="muted">none named</span>) },
          { header: "Earlier environments", cell: (row) => (row.path.length === 0 ? <span className="muted">none</span> : row.path.map((step) => step.environment).join(" → ")) },
          { header: "Team", cell: (row) => row.team },
          { header: "At", cell: (row) => <span className="small">{formatAbsolute(row.at)}</span> },
        ]}
      />
    </section>
  );
}
