import type { Metadata } from "next";
import { Link } from "../components/Link.tsx";
import { signOut } from "./signin/actions.ts";
import { proxySession } from "../lib/proxyAuth.ts";
import { sessionToken } from "../lib/session.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Drumbeat", template: "%s · Drumbeat" },
  description: "Deployments and DORA metrics",
};

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/deployments", label: "Deployments" },
  { href: "/failures", label: "Change failures" },
  { href: "/insights", label: "Insights" },
  { href: "/usecases", label: "Use cases" },
  { href: "/incidents", label: "Incidents" },
];

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const proxy = await proxySession();
  const signedIn = (await sessionToken()) !== undefined || proxy !== undefined;
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">Skip to content</a>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden>
                <i />
                <i />
                <i />
              </span>
              Drumbeat
            </Link>
            <nav className="nav" aria-label="Main">
              {NAV.map((item) => <Link key={item.href} href={item.href}>{item.label}</Link>)}
            </nav>
            {signedIn && (
              <form action={signOut} className="signout">
                {proxy && <span className="signed-in-as" data-testid="signed-in-as">{proxy.user}</span>}
                <button type="submit" className="link-button" data-testid="signout">Sign out</button>
              </form>
            )}
          </div>
        </header>
        <main className="main" id="main">{children}</main>
      </body>
    </html>
  );
}
