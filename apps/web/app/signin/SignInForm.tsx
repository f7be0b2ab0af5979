"use client";

import { useActionState } from "react";
import { signIn, type SignInState } from "./actions.ts";

export function SignInForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, {});
  return (
    <form action={action} className="signin-form">
      <label htmlFor="token">Read token</label>
      <input id="token" name="token" type="password" autoComplete="off" required autoFocus data-testid="token" />
      {state.error && <p className="inline-error" role="alert" data-testid="signin-error">{state.error}</p>}
      <button type="submit" className="button button-primary" disabled={pending}>{pending ? "Checking…" : "Sign in"}</button>
    </form>
  );
}
