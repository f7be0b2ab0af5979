"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ApiError, fetchApi } from "../../lib/api.ts";
import { proxySession } from "../../lib/proxyAuth.ts";
import { endSession, startSession } from "../../lib/session.ts";

export type SignInState = { error?: string };

/**
 * Signs a person in with a read token: the API must accept it for a read before it is kept,
 * in an httpOnly, SameSite=Strict cookie the browser's scripts cannot read.
 */
export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const token = String(form.get("token") ?? "").trim();
  if (token.length === 0) return { error: "Paste a Drumbeat token with the read scope." };
  if (token.length > 500) return { error: "That is not a Drumbeat token." };
  try {
    await fetchApi("/api/v1/services", {}, token);
  } catch (error) {
    if (error instanceof ApiError && error.failure === "unauthorized") return { error: "The API refused that token (unknown, revoked, or without the read scope)." };
    if (error instanceof ApiError) return { error: error.message };
    throw error;
  }
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  await startSession(token, secure);
  redirect("/");
}

/** Ends the cookie session; a person the proxy signed in is sent to the proxy's sign-out, which ends its session too. */
export async function signOut(): Promise<void> {
  const proxy = await proxySession();
  await endSession();
  redirect(proxy ? proxy.signOutUrl : "/signin");
}
