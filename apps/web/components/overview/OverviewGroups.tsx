import type { doraGroups } from "../../lib/api.ts";
import { GROUP_COLUMNS, figureValue, formatFigure } from "../../lib/figures.ts";
import { scopeQuery, type Scope } from "../../lib/scope.ts";
import { GroupTable, type GroupRow } from "../GroupTable.tsx";
import { StaleNote } from "./OverviewFigures.tsx";
import { readOrError } from "../readOrError.tsx";

type Groups = Awaited<ReturnType<typeof doraGroups>>;

/** The figures per service or team, with the footnote on levels, once the groups have arrived. */
export async function OverviewGroups({ scope, groupBy, groups: pending }: { scope: Scope; groupBy: "service" | "team"; groups: Promise<Groups> }) {
  const read = await readOrError(pending, `/?${scopeQuery(scope)}`);
  if (read.failed) return read.failed;
  const groups = read.data;
  const rows: GroupRow[] = groups.groups.map((group) => {
    const values = Object.fromEntries(GROUP_COLUMNS.map((column) => [column.key, figureValue(group, column.key)])) as GroupRow["values"];
    const shown = Object.fromEntries(GROUP_COLUMNS.map((column) => [column.key, formatFigure(column.key, values[column.key])])) as GroupRow["shown"];
    const drill: Partial<Scope> = groupBy === "team" ? { team: group.key } : { service: group.key };
    return { key: group.key, href: `/?${scopeQuery(scope, drill)}`, deployments: group.deploymentFrequency.count, values, shown };
  });
  return (
    <>
      {!groups.upToDate && <p className="muted small"><StaleNote asOf={groups.asOf} /></p>}
      {rows.length === 0 ? (
        <p className="muted">No {groupBy} deployed in this range.</p>
      ) : (
        <GroupTable rows={rows} groupLabel={groupBy === "team" ? "Team" : "Service"} />
      )}
      <p className="muted small footnote">
        Levels follow the {groups.thresholds.report}; hover or focus a level for its thresholds. Every rule: docs/dora.md.
      </p>
    </>
  );
}

export function OverviewGroupsPending({ groupBy }: { groupBy: "service" | "team" }) {
  return <p className="muted" aria-busy="true" data-testid="groups-pending">Counting by {groupBy}…</p>;
}
