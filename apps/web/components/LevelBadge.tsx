import type { DoraLevel } from "../lib/types.ts";

const LABELS: Record<DoraLevel, string> = { elite: "Elite", high: "High", medium: "Medium", low: "Low" };

/** A DORA performance level; focus or hover shows the thresholds behind it and their source. */
export function LevelBadge({ level, thresholds }: { level: DoraLevel | null; thresholds: string | null }) {
  if (!thresholds) return null;
  const label = level ? LABELS[level] : "No level";
  return (
    <span className={`level level-${level ?? "none"}`} title={thresholds} tabIndex={0} data-testid="level" data-level={level ?? ""}>
      {label}
      <span className="sr-only">. Thresholds: {thresholds}</span>
    </span>
  );
}
