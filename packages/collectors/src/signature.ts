import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Hex HMAC-SHA256 of the raw body, as GitHub, PagerDuty, Sentry and LaunchDarkly compute it. */
export function hmacSha256Hex(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * Constant-time equality of two strings. Both sides are hashed first so that
 * timingSafeEqual always compares equal lengths and the length of the secret never leaks.
 */
export function safeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** True when one of the offered hex signatures is the HMAC of the body (several during secret rotation). */
export function hmacMatches(secret: string, body: Buffer, offered: readonly string[]): boolean {
  const expected = hmacSha256Hex(secret, body);
  // Every candidate is compared, so the time taken does not depend on which one matched.
  return offered.map((candidate) => safeEqual(candidate.trim().toLowerCase(), expected)).includes(true);
}

/** `sha256=<hex>` (GitHub's X-Hub-Signature-256). */
export function verifyPrefixedHmac(prefix: string, secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith(prefix)) return false;
  return hmacMatches(secret, body, [header.slice(prefix.length)]);
}

/** `v1=<hex>[,v1=<hex>...]` (PagerDuty's X-PagerDuty-Signature). */
export function verifyVersionedHmacList(secret: string, body: Buffer, header: string | undefined): boolean {
  const offered = (header ?? "").split(",").map((part) => part.trim()).filter((part) => part.startsWith("v1=")).map((part) => part.slice(3));
  return offered.length > 0 && hmacMatches(secret, body, offered);
}

/** A bare hex HMAC (Sentry-Hook-Signature, X-LD-Signature). */
export function verifyHexHmac(secret: string, body: Buffer, header: string | undefined): boolean {
  return header !== undefined && header.length > 0 && hmacMatches(secret, body, [header]);
}

/** A shared token sent verbatim (X-Gitlab-Token), or as `Authorization: [Bearer] <token>`. */
export function verifyToken(secret: string, offered: string | undefined): boolean {
  if (offered === undefined || offered.length === 0) return false;
  return safeEqual(offered.replace(/^Bearer\s+/i, ""), secret);
}

/** Shared-token check for tools that can only add a header: X-Drumbeat-Token, or Authorization. */
export function verifySharedToken(secret: string, headers: Readonly<Record<string, string | undefined>>): boolean {
  return verifyToken(secret, headers["x-drumbeat-token"] ?? headers.authorization);
}
