/** Shown at once while a page waits for the API, in the shape of what is coming. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" data-testid="loading">
      <div className="page-header">
        <div className="skeleton skeleton-title" />
        <div className="skeleton skeleton-line" />
      </div>
      <div className="tiles">
        {Array.from({ length: 5 }, (_, index) => <div key={index} className="card tile skeleton-tile" />)}
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
