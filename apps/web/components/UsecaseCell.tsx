/** One use case in one deployment: passed, failed, flaky (passed and failed there), skipped, or not run. */
const CELLS = {
  pass: { glyph: "✓", label: "passed" },
  fail: { glyph: "✗", label: "failed" },
  mixed: { glyph: "~", label: "flaky: passed and failed" },
  skip: { glyph: "–", label: "skipped" },
} as const;

export function UsecaseCell({ outcome }: { outcome: keyof typeof CELLS | null }) {
  if (outcome === null) return <span className="cell cell-none" data-cell="none" title="not run"><span className="sr-only">not run</span></span>;
  const { glyph, label } = CELLS[outcome];
  return (
    <span className={`cell cell-${outcome}`} data-cell={outcome} title={label}>
      <span aria-hidden>{glyph}</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}
