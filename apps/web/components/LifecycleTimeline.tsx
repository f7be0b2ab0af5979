import type { DeploymentLifecycleEvent } from "../lib/types.ts";
import { StatusBadge } from "./StatusBadge.tsx";
import { Timestamp } from "./Timestamp.tsx";

/** Every lifecycle event of a deployment in the order it happened (canary steps included). */
export function LifecycleTimeline({ events, now }: { events: DeploymentLifecycleEvent[]; now: string }) {
  if (events.length === 0) return <p className="muted">No lifecycle events recorded.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event) => (
        <li key={event.eventId} className={`timeline-item timeline-${event.status}`}>
          <div className="timeline-head">
            <StatusBadge status={event.status} asEvent />
            {event.canaryWeight !== null && <span className="tag">canary {event.canaryWeight}%</span>}
          </div>
          <Timestamp iso={event.occurredAt} now={now} inline />
          <div className="small muted">
            {[event.actor && `by ${event.actor}`, event.source && `via ${event.source}`, event.strategy].filter(Boolean).join(" · ")}
            {event.url && (
              <>
                {" · "}
                <a href={event.url} rel="noopener noreferrer" target="_blank">
                  details
                </a>
              </>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
