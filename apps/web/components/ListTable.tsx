import type { ReactNode } from "react";

export interface Column<Row> {
  header: string;
  /** Right-aligned, for figures. */
  numeric?: boolean;
  cell: (row: Row) => ReactNode;
}

/** Data attributes a test or a style can find a row by, e.g. `{ "data-testid": "incident-row" }`. */
type RowAttributes = Record<`data-${string}`, string>;

/**
 * The drill-down pages' list: an empty state that says what would fill it, or a card with a
 * table that scrolls sideways inside it.
 */
export function ListTable<Row>({ rows, columns, rowKey, rowAttributes, testId, empty }: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  rowAttributes?: (row: Row) => RowAttributes;
  testId: string;
  empty: { title: string; body: ReactNode };
}) {
  if (rows.length === 0) {
    return (
      <div className="state" data-testid="empty-state">
        <h2>{empty.title}</h2>
        <p>{empty.body}</p>
      </div>
    );
  }
  return (
    <div className="card table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => <th key={column.header} className={column.numeric ? "num" : undefined}>{column.header}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {columns.map((column) => <td key={column.header} className={column.numeric ? "num" : undefined}>{column.cell(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
