import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Drumbeat", template: "%s · Drumbeat" },
  description: "Deployments and DORA metrics",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/deployments" className="brand">
              <span className="brand-mark" aria-hidden>
                <i />
                <i />
                <i />
              </span>
              Drumbeat
            </Link>
            <nav className="nav">
              <Link href="/deployments">Deployments</Link>
            </nav>
          </div>
        </header>
        <main className="main">{children}</main>
      </body>
    </html>
  );
}
