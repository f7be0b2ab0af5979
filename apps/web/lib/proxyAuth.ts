import { createHash, timingSafeEqual } from "node:crypto";
import { headers } from "next/headers";

/**
 * Sign-in through a trusted reverse proxy (oauth2-proxy and the like, docs/dashboard.md):
 * the proxy authenticates the person and names them in a header. Anyone can send that
 * header, so it counts only when the operator configured the trust and the request also
 * carries the shared secret only the proxy knows. Half a configuration trusts nobody.
 */
export const PROXY_SECRET_HEADER = "x-drumbeat-proxy-secret";
const MIN_SECRET_LENGTH = 32;

export interface ProxyTrust {
  /** Lower-case name of the header that names the person, e.g. x-forwarded-email. */
  header: string;
  secret: string;
  /** The read token the dashboard reads with for the people the proxy vouches for. */
  token: string;
  /** Where signing out goes: the proxy's own sign-out, which ends its session. */
  signOutUrl: string;
}

export function proxyTrustFrom(env: Record<string, string | undefined>): ProxyTrust | undefined {
  const header = env.DRUMBEAT_WEB_TRUSTED_PROXY_HEADER?.trim().toLowerCase();
  const secret = env.DRUMBEAT_WEB_TRUSTED_PROXY_SECRET ?? "";
  const token = env.DRUMBEAT_WEB_PROXY_TOKEN ?? "";
  if (!header || secret.length < MIN_SECRET_LENGTH || !token) return undefined;
  return { header, secret, token, signOutUrl: env.DRUMBEAT_WEB_PROXY_SIGNOUT_URL || "/oauth2/sign_out" };
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** The person the proxy names in these request headers, when the request carries the proxy's secret. */
export function proxyUserOf(requestHeaders: Pick<Headers, "get">, trust: ProxyTrust): string | undefined {
  const user = requestHeaders.get(trust.header)?.trim();
  if (!user || user.length > 320) return undefined;
  const secret = requestHeaders.get(PROXY_SECRET_HEADER) ?? "";
  // compared as digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte
  return timingSafeEqual(digest(secret), digest(trust.secret)) ? user : undefined;
}

/** This request's proxy sign-in: who, the token to read with, and where signing out goes. */
export async function proxySession(): Promise<{ user: string; token: string; signOutUrl: string } | undefined> {
  const trust = proxyTrustFrom(process.env);
  if (!trust) return undefined;
  const user = proxyUserOf(await headers(), trust);
  return user ? { user, token: trust.token, signOutUrl: trust.signOutUrl } : undefined;
}
