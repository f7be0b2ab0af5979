import { Link } from "./Link.tsx";
import type { ApiError } from "../lib/api.ts";

/** What to tell a manager when the API cannot be read, by kind of failure. */
const HINTS: Record<ApiError["failure"], string> = {
  unreachable: "The dashboard reads everything through the Drumbeat API. Check that it is running and that DRUMBEAT_API_URL points at it.",
  unauthorized: "The API has authentication on and refused the token: sign in again with a read token.",
  not_found: "The API does not know this address.",
  rejected: "The API refused the request.",
};

export function ErrorState({ error, retryHref }: { error: ApiError; retryHref: string }) {
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <h2>{error.failure === "unreachable" ? "Can’t reach the Drumbeat API" : "The API could not answer"}</h2>
      <p>{HINTS[error.failure]}</p>
      <p className="mono small muted">{error.message}</p>
      <Link href={retryHref} className="button">
        Try again
      </Link>
    </div>
  );
}

export function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div className="state" data-testid="empty-state">
        <h2>No deployments match these filters</h2>
        <p>Try another service, team, environment or status.</p>
        <Link href="/deployments" className="button">
          Clear filters
        </Link>
      </div>
    );
  }
  return (
    <div className="state" data-testid="empty-state">
      <h2>No deployments yet</h2>
      <p>Deployments appear here as soon as your CI reports them, for example:</p>
      <pre className="code">{`drumbeat deploy --service checkout --environment production --status succeeded`}</pre>
      <p className="small muted">
        or POST a <code>deployment</code> event to <code>/api/v1/events</code>.
      </p>
    </div>
  );
}
