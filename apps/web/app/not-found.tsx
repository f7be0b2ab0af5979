import { Link } from "../components/Link.tsx";

export default function NotFound() {
  return (
    <div className="state" data-testid="not-found">
      <h2>Not found</h2>
      <p>There is nothing at this address, or the deployment is unknown to Drumbeat.</p>
      <Link href="/deployments" className="button">
        Back to deployments
      </Link>
    </div>
  );
}
