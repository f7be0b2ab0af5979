import { Link } from "./Link.tsx";
import type { Tone } from "../lib/figures.ts";
import type { DoraLevel } from "../lib/types.ts";
import { LevelBadge } from "./LevelBadge.tsx";
import { Sparkline } from "./Sparkline.tsx";

export interface TileProps {
  figure: string;
  title: string;
  value: string;
  sample: string;
  level: DoraLevel | null;
  thresholds: string | null;
  change: { text: string; tone: Tone } | null;
  spark: (number | null)[];
  href?: string;
}

/** One DORA key: value, level, change against the previous period and its weekly course. */
export function DoraTile({ figure, title, value, sample, level, thresholds, change, spark, href }: TileProps) {
  const body = (
    <>
      <div className="tile-head">
        <h2>{title}</h2>
        <LevelBadge level={level} thresholds={thresholds} />
      </div>
      <div className="tile-value" data-testid="tile-value">{value}</div>
      <div className="tile-meta">
        <span className="muted small" data-testid="tile-sample">{sample}</span>
        {change && (
          <span className={`change change-${change.tone}`} data-testid="tile-change" title="against the previous period of the same length">
            {change.text}
          </span>
        )}
      </div>
      <Sparkline values={spark} label={`${title}, week by week`} />
    </>
  );
  return (
    <section className="card tile" data-testid={`tile-${figure}`} aria-label={title}>
      {href ? <Link href={href} className="tile-link">{body}</Link> : body}
    </section>
  );
}
