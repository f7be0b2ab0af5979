/**
 * The demo organisation: services with delivery habits from elite to struggling, so the
 * DORA figures differ between services and teams. Rates are per production deployment.
 */
export interface ServiceProfile {
  service: string;
  team: string;
  /** Mean production deployments per weekday (weekends see a twentieth of it). */
  perWeekday: number;
  /** Share of production deployments that fail or need remediation. */
  failureRate: number;
  /** Commit authored -> production deployment, hours (log-uniform range). */
  leadHours: [number, number];
  /** Failure -> recovery, minutes (log-uniform range). */
  recoveryMinutes: [number, number];
  strategy: "canary" | "rolling" | "blue_green" | "recreate";
  usecases: string[];
}

export const PROFILES: readonly ServiceProfile[] = [
  { service: "checkout", team: "payments", perWeekday: 3, failureRate: 0.05, leadHours: [0.5, 20], recoveryMinutes: [8, 50], strategy: "canary",
    usecases: ["add to cart", "pay by card", "apply coupon", "guest checkout"] },
  { service: "payments-api", team: "payments", perWeekday: 2.5, failureRate: 0.06, leadHours: [1, 30], recoveryMinutes: [10, 60], strategy: "canary",
    usecases: ["authorize payment", "refund", "3-D Secure challenge"] },
  { service: "catalog", team: "catalog", perWeekday: 1.5, failureRate: 0.1, leadHours: [6, 96], recoveryMinutes: [30, 300], strategy: "rolling",
    usecases: ["browse category", "product page", "price update"] },
  { service: "search", team: "catalog", perWeekday: 1.2, failureRate: 0.12, leadHours: [8, 120], recoveryMinutes: [30, 600], strategy: "blue_green",
    usecases: ["search by keyword", "autocomplete", "filter by brand"] },
  { service: "recommendations", team: "growth", perWeekday: 0.6, failureRate: 0.16, leadHours: [24, 200], recoveryMinutes: [60, 1_440], strategy: "rolling",
    usecases: ["home page picks", "similar items"] },
  { service: "notifications", team: "growth", perWeekday: 0.5, failureRate: 0.18, leadHours: [24, 240], recoveryMinutes: [60, 1_440], strategy: "rolling",
    usecases: ["order confirmation email", "push on shipment"] },
  { service: "auth", team: "platform", perWeekday: 0.8, failureRate: 0.1, leadHours: [4, 72], recoveryMinutes: [20, 240], strategy: "blue_green",
    usecases: ["log in", "reset password", "single sign-on"] },
  { service: "legacy-billing", team: "platform", perWeekday: 0.3, failureRate: 0.38, leadHours: [120, 700], recoveryMinutes: [240, 4_320], strategy: "recreate",
    usecases: ["monthly invoice run", "tax calculation"] },
  { service: "inventory", team: "catalog", perWeekday: 1, failureRate: 0.1, leadHours: [6, 100], recoveryMinutes: [30, 400], strategy: "rolling",
    usecases: ["reserve stock", "restock import"] },
  { service: "web-frontend", team: "growth", perWeekday: 2, failureRate: 0.08, leadHours: [2, 48], recoveryMinutes: [15, 120], strategy: "canary",
    usecases: ["home page renders", "sign-up form"] },
];

/** The one use case that flaps (fail-pass-fail) without any deployment breaking it. */
export const FLAKY_USECASE = { service: "checkout", usecase: "apply coupon" };

export const AUTHORS: Record<string, readonly string[]> = {
  payments: ["amara.okafor", "lena.fischer", "raj.patel"],
  catalog: ["mei.chen", "tomas.novak", "sofia.rossi", "kwame.mensah"],
  growth: ["jonas.berg", "priya.nair"],
  platform: ["olga.ivanova", "diego.ramirez", "sam.taylor"],
};

export const CHANGES = [
  "feat: add {thing}", "fix: handle empty {thing}", "refactor: extract {thing} module", "perf: cache {thing} lookups",
  "chore: bump dependencies", "fix: retry {thing} on timeout", "feat: expose {thing} in the API", "test: cover {thing} edge cases",
  "fix: correct {thing} rounding", "docs: explain {thing}",
];
export const THINGS = ["cart totals", "currency", "session refresh", "pagination", "price rules", "search ranking", "email templates", "rate limits", "tax zones", "feature flags"];
export const INCIDENT_TITLES = ["error rate above 5%", "p99 latency above 2 s", "elevated 5xx on /api", "queue backlog growing", "login failures spiking"];
export const USECASE_ERRORS = ["expected status 200, got 500", "timed out after 30000 ms waiting for selector", "assertion failed: total mismatch", "element not found: [data-test=submit]"];
