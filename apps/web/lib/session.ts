import { cookies } from "next/headers";

/** The httpOnly cookie that holds a signed-in person's read token; the browser's scripts never see it. */
export const SESSION_COOKIE = "drumbeat_session";
const THIRTY_DAYS = 30 * 86_400;

export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value || undefined;
}

/** `secure` follows the scheme the person used (a TLS-terminating proxy says so in X-Forwarded-Proto). */
export async function startSession(token: string, secure: boolean): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure, path: "/", maxAge: THIRTY_DAYS });
}

export async function endSession(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
