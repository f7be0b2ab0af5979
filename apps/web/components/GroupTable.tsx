"use client";

import { Link } from "./Link.tsx";
import { useState } from "react";
import { GROUP_COLUMNS, type GroupColumn } from "../lib/figures.ts";

export interface GroupRow {
  key: string;
  href: string;
  deployments: number;
  /** Figures by column; null when the sample is too small. */
  values: Record<GroupColumn, number | null>;
  shown: Record<GroupColumn, string>;
}

type SortKey = "key" | GroupColumn;

/** Rows sorted by `by`; rows without a value go last whatever the direction. */
function sortRows(rows: GroupRow[], by: SortKey, descending: boolean): GroupRow[] {
  return [...rows].sort((a, b) => {
    if (by === "key") return descending ? b.key.localeCompare(a.key) : a.key.localeCompare(b.key);
    const x = a.values[by];
    const y = b.values[by];
    if (x === null || y === null) return x === y ? a.key.localeCompare(b.key) : x === null ? 1 : -1;
    return descending ? y - x : x - y;
  });
}

/** The figures per service (or team), sortable by any key; each row opens that service's overview. */
export function GroupTable({ rows, groupLabel }: { rows: GroupRow[]; groupLabel: string }) {
  const [sort, setSort] = useState<{ by: SortKey; descending: boolean }>({ by: "deploymentFrequency", descending: true });
  const sorted = sortRows(rows, sort.by, sort.descending);
  const header = (by: SortKey, label: string, numeric: boolean) => {
    const active = sort.by === by;
    return (
      <th key={by} className={numeric ? "num" : undefined} aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}>
        <button
          type="button"
          className="sort"
          data-testid={`sort-${by}`}
          onClick={() => setSort({ by, descending: active ? !sort.descending : by !== "key" })}
        >
          {label}
          <span aria-hidden>{active ? (sort.descending ? " ↓" : " ↑") : ""}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="card table-scroll">
      <table className="table" data-testid="group-table">
        <thead>
          <tr>
            {header("key", groupLabel, false)}
            {GROUP_COLUMNS.map((column) => header(column.key, column.label, true))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.key} data-testid="group-row" data-key={row.key}>
              <td>
                <Link href={row.href}>{row.key}</Link>
              </td>
              {GROUP_COLUMNS.map((column) => (
                <td key={column.key} className="num" data-column={column.key}>
                  {row.shown[column.key]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
