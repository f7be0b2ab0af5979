import type { Metadata } from "next";
import { SignInForm } from "./SignInForm.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <div className="card signin" data-testid="signin">
      <h1>Sign in to Drumbeat</h1>
      <p className="muted">
        This Drumbeat has authentication on. Paste a token with the <code>read</code> scope; an administrator creates one with
      </p>
      <pre className="code">npm run drumbeat -- token create --scope read --name your-name</pre>
      <SignInForm />
      <p className="small muted">The token is kept in a cookie only this dashboard's server can read, and sent to the API on your behalf.</p>
    </div>
  );
}
