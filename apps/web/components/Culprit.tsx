import { Link } from "./Link.tsx";
import { firstLine } from "../lib/format.ts";
import type { UsecaseState } from "../lib/types.ts";

/** "broken by <commit> in <deployment>", or the suspects when there are several; flaky and never-passing cases are not blamed. */
export function Culprit({ state }: { state: UsecaseState }) {
  if (state.flaky) return <span className="tag tag-flaky" data-testid="blame">flaky: not blamed on a commit</span>;
  if (state.failingSinceFirstRun) return <span className="muted" data-testid="blame">failing since its first run</span>;
  if (!state.breaking) return null;
  const deployment = (
    <Link href={`/deployments/${encodeURIComponent(state.breaking.deploymentId)}`} className="mono">{state.breaking.deploymentId}</Link>
  );
  if (state.culprit) {
    return (
      <span data-testid="blame" data-culprit={state.culprit.sha}>
        broken by <span className="sha mono">{state.culprit.sha.slice(0, 7)}</span> “{firstLine(state.culprit.message)}” ({state.culprit.author}) in {deployment}
      </span>
    );
  }
  return (
    <span data-testid="blame">
      broken in {deployment}: {state.suspects.length === 0 ? "no commits known" : `${state.suspects.length} suspect commits`}
      {state.suspects.length > 0 && (
        <span className="muted small"> ({state.suspects.map((commit) => commit.sha.slice(0, 7)).join(", ")})</span>
      )}
    </span>
  );
}
