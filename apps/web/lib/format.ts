/**
 * Times are shown relative ("5 min ago") and absolute, in UTC: the server renders them, and
 * a fixed zone and hand-made format keep server and browser output identical.
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

export function formatAbsolute(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

export function formatRelative(iso: string, now: string): string {
  const seconds = Math.round((Date.parse(now) - Date.parse(iso)) / 1000);
  if (seconds < 45) return "just now"; // also absorbs small clock skew between API and web
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return days === 1 ? "yesterday" : `${days} days ago`;
  const months = Math.round(days / 30.4);
  if (months < 12) return months === 1 ? "a month ago" : `${months} months ago`;
  const years = Math.round(days / 365);
  return years === 1 ? "a year ago" : `${years} years ago`;
}

/** "4m 12s", "1h 05m"; empty for a deployment still running. */
export function formatDuration(fromIso: string, toIso: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A commit SHA as people read it; other version strings (tags, semver) are kept whole. */
export function shortVersion(version: string): string {
  return /^[0-9a-f]{12,64}$/i.test(version) ? version.slice(0, 7) : version;
}

export function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}
