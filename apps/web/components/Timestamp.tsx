import { formatAbsolute, formatRelative } from "../lib/format.ts";

/** Relative time on top, the exact UTC time under it (and in the tooltip). */
export function Timestamp({ iso, now, inline = false }: { iso: string; now: string; inline?: boolean }) {
  const absolute = formatAbsolute(iso);
  return (
    <time dateTime={iso} title={absolute} className={inline ? "time time-inline" : "time"}>
      <span className="time-relative">{formatRelative(iso, now)}</span>
      <span className="time-absolute">{absolute}</span>
    </time>
  );
}
