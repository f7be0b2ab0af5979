/** How the digest writes figures: the same in its HTML and text parts. */

export function duration(seconds: number | null): string {
  if (seconds === null) return "n/a";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3_600) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function percent(rate: number | null): string {
  return rate === null ? "n/a" : `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)}%`;
}

/** "+3", "-12%": the change since the previous week, or nothing when either side is unknown. */
export function change(current: number | null, previous: number | null, as: "count" | "percent" | "duration"): string {
  if (current === null || previous === null) return "";
  const diff = current - previous;
  if (diff === 0) return "same as the week before";
  const sign = diff > 0 ? "+" : "-";
  const size = Math.abs(diff);
  const text = as === "percent" ? `${(size * 100).toFixed(1)} pts` : as === "duration" ? duration(size) : String(Math.round(size * 100) / 100);
  return `${sign}${text} vs the week before`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function day(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
}

export function time(iso: string): string {
  return `${day(iso)} ${iso.slice(11, 16)} UTC`;
}

/** "1 commit", "3 commits". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
