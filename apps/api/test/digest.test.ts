import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { pino } from "pino";
import { chromium } from "playwright-core";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { IsoWeek, isoWeekOf, weekRange } from "@drumbeat/analysis";
import { apiConfigFromEnv } from "../src/index.ts";
import { DigestScheduler } from "../src/digest/scheduler.ts";
import { verdict } from "../src/digest/sends.ts";
import { DigestService } from "../src/digest/service.ts";
import { startTestApi, type TestApi } from "./helpers.ts";

interface Received { mail: ParsedMail; rcpt: string[] }

/** A real SMTP server on a loopback port; every mail is parsed with mailparser. */
async function startSmtp(port = 0) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({ mail, rcpt: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = (server.server.address() as AddressInfo).port;
  return { received, url: `smtp://127.0.0.1:${address}`, port: address, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return check();
};

const base = { type: "deployment", environment: "production", status: "succeeded" };
const events = [
  { ...base, service: "checkout", team: "payments", deploymentId: "c1", version: "v1", occurredAt: "2026-11-17T10:00:00Z", commits: [{ sha: "aaaa111", authoredAt: "2026-11-16T08:00:00Z" }] },
  { ...base, service: "checkout", team: "payments", deploymentId: "c2", version: "v2", occurredAt: "2026-11-18T10:00:00Z", status: "failed", commits: [{ sha: "aaaa222", authoredAt: "2026-11-18T09:00:00Z" }] },
  { ...base, service: "checkout", team: "payments", deploymentId: "c3", version: "v1", occurredAt: "2026-11-18T11:00:00Z", kind: "rollback", rollsBack: "c2" },
  { ...base, service: "search", team: "growth", deploymentId: "s1", version: "b1", occurredAt: "2026-11-19T10:00:00Z" },
  { ...base, service: "search", team: "growth", deploymentId: "s0", version: "b0", occurredAt: "2026-11-11T10:00:00Z" },
  { type: "incident", service: "search", environment: "production", incidentId: "INC-9", status: "opened", severity: "sev2", title: "Search <slow>", occurredAt: "2026-11-20T11:00:00Z" },
];
const WEEK = "2026-W47";
const silent = pino({ level: "silent" });
/** A cron that never fires (30 February): the API's own scheduler stays out of these tests, which drive one by hand. */
const NEVER = "0 0 30 2 *";

describe("ISO weeks", () => {
  it("parse and name weeks at the year's edges", () => {
    assert.deepEqual(weekRange("2026-W47"), { from: new Date("2026-11-16T00:00:00Z"), to: new Date("2026-11-23T00:00:00Z") });
    assert.equal(isoWeekOf(new Date("2026-01-01T00:00:00Z")), "2026-W01");
    assert.equal(isoWeekOf(new Date("2027-01-01T00:00:00Z")), "2026-W53");
    assert.equal(isoWeekOf(new Date("2026-11-22T23:59:59Z")), "2026-W47");
    assert.equal(isoWeekOf(new Date("2026-11-23T00:00:00Z")), "2026-W48");
    assert.ok(IsoWeek.safeParse("2026-W53").success);
    assert.ok(!IsoWeek.safeParse("2027-W53").success);
    assert.ok(!IsoWeek.safeParse("2026-47").success);
  });

  it("a run reports on the week before the one it falls in", () => {
    assert.equal(DigestScheduler.weekFor(new Date("2026-11-23T09:00:00Z")), "2026-W47");
    assert.equal(DigestScheduler.weekFor(new Date("2026-11-22T23:59:00Z")), "2026-W46");
  });
});

describe("who may send", () => {
  const now = new Date("2026-11-23T09:00:10Z");
  const claim = (attemptId: string, at: string) => ({ attemptId, step: "claimed" as const, at });
  it("the earliest live claim sends; a sent record stops everyone; a failed or expired claim does not block", () => {
    const a = claim("a", "2026-11-23T09:00:01Z");
    const b = claim("b", "2026-11-23T09:00:02Z");
    assert.equal(verdict([a, b], "a", now, 60_000), "send");
    assert.equal(verdict([a, b], "b", now, 60_000), "busy");
    assert.equal(verdict([a, { attemptId: "a", step: "failed", at: "2026-11-23T09:00:03Z" }, b], "b", now, 60_000), "send");
    assert.equal(verdict([a, b, { attemptId: "a", step: "sent", at: "2026-11-23T09:00:04Z" }], "b", now, 60_000), "sent");
    // a's claim is exactly the lease old: expired.
    assert.equal(verdict([a, b], "b", new Date(Date.parse(a.at) + 60_000), 60_000), "send");
    assert.equal(verdict([a, b], "b", new Date(Date.parse(a.at) + 59_999), 60_000), "busy");
  });

  it("the configuration names the variable of a bad digest or Grafana setting", () => {
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_DIGEST_CRON: "every monday" }), /DRUMBEAT_DIGEST_CRON: not a cron expression/);
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_DIGEST_TIMEZONE: "Mars/Olympus" }), /DRUMBEAT_DIGEST_TIMEZONE: not an IANA time zone/);
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_DIGEST_TO: "cto@example.com, not-an-address" }), /DRUMBEAT_DIGEST_TO: /);
    assert.throws(() => apiConfigFromEnv({ GRAFANA_URL: "http://grafana:3000" }), /GRAFANA_TOKEN: GRAFANA_URL and GRAFANA_TOKEN go together/);
    const config = apiConfigFromEnv({ DRUMBEAT_DIGEST_TO: "a@example.com,b@example.com", DRUMBEAT_DIGEST_TIMEZONE: "Europe/Prague" });
    assert.deepEqual([config.digest.to, config.digest.cron, config.digest.timezone], [["a@example.com", "b@example.com"], "0 9 * * 1", "Europe/Prague"]);
  });
});

describe("weekly digest", () => {
  let api: TestApi;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const service = (overrides: Partial<DigestService["settings"]> = {}) => new DigestService(api.store, { productionEnvironment: "production", incidentWindowHours: 24, detectRollbacks: true }, {
    smtpUrl: smtp.url, from: "drumbeat@example.com", to: ["cto@example.com", "eng@example.com"], teams: { payments: ["payments@example.com"] },
    dashboardUrl: "https://drumbeat.example.com", settleMs: 50, leaseMs: 60_000, ...overrides,
  }, silent);

  before(async () => {
    smtp = await startSmtp();
    api = await startTestApi("digest", {
      digest: { smtpUrl: smtp.url, from: "Drumbeat <drumbeat@example.com>", to: ["cto@example.com", "eng@example.com"], cron: NEVER, dashboardUrl: "https://drumbeat.example.com", settleMs: 50 },
      collectors: { digest: { teams: { payments: ["payments@example.com"] } } },
    });
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: events })).status, 202);
  });
  after(async () => {
    await api.dispose();
    await smtp.close();
  });

  it("previews a week with the same figures as GET /api/v1/dora for that week", async () => {
    const { status, body } = await api.call(`/api/v1/digest?week=${WEEK}`);
    assert.equal(status, 200);
    const { from, to } = weekRange(WEEK);
    const dora = (await api.call(`/api/v1/dora?from=${from.toISOString()}&to=${to.toISOString()}`)).body;
    for (const key of ["deploymentFrequency", "leadTime", "changeFailureRate", "recoveryTime", "reworkRate", "previous"]) {
      assert.deepEqual(body.digest.summary[key], dora[key], key);
    }
    assert.deepEqual(body.digest.days.map((d: any) => [d.deployments, d.total, d.failed]), [[0, 0, 0], [1, 1, 0], [0, 2, 1], [1, 1, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    assert.deepEqual(body.digest.rollbacks.map((r: any) => r.deploymentId), ["c3"]);
    assert.match(body.subject, /^Drumbeat weekly digest 2026-W47: 2 deployments, change failure rate 25%$/);
    // Mail clients: no scripts, no external images or stylesheets, the incident title escaped.
    assert.doesNotMatch(body.html, /<script|<img|<link|src=|url\(/i);
    assert.match(body.html, /Search &lt;slow&gt;/);
    const bad = await api.call("/api/v1/digest?week=2026-W54");
    assert.deepEqual([bad.status, bad.body.issues[0].path], [400, "query.week"]);
  });

  it("lists the week's deployments that regressed a metric, in both parts, and in the digest of their team only", async () => {
    // search's error rate triples after s1 (2026-11-19 10:00): minutes 09:30-09:59 against 10:00-10:29
    const minute = (m: number, value: number) => ({
      service: "search", environment: "production", metric: "http.server.errors", at: new Date(Date.parse("2026-11-19T10:00:30Z") + m * 60_000).toISOString(), value,
    });
    const points = Array.from({ length: 30 }, (_, i) => [minute(i - 30, 1 + i / 100), minute(i, 3 * (1 + i / 100))]).flat();
    assert.equal((await api.call("/api/v1/metrics/points", { method: "POST", json: points })).status, 202);
    assert.equal((await api.call("/api/v1/deployments/s1/impact")).body.verdict, "regressed");
    const { body } = await api.call(`/api/v1/digest?week=${WEEK}`);
    assert.deepEqual(body.digest.regressions, [{
      deploymentId: "s1", service: "search", version: "b1", startedAt: "2026-11-19T10:00:00.000Z",
      metrics: [{ metric: "http.server.errors", comparison: "before_after", relativeChange: 2 }],
    }]);
    assert.match(body.text, /Deployments that regressed a metric:\n  search s1 b1 \(.+\): http\.server\.errors \+200%/);
    assert.match(body.html, /Deployments that regressed a metric.*http\.server\.errors \+200%/s);
    const payments = await api.call(`/api/v1/digest?week=${WEEK}&team=payments`);
    assert.deepEqual(payments.body.digest.regressions, []);
  });

  it("lists the use cases broken when it is made, with the deployment that broke each, in the digest of their team only", async () => {
    const run = (deploymentId: string, usecase: string, status: string, at: string) =>
      ({ type: "usecase", service: "search", environment: "production", deploymentId, usecase, suite: "search", status, occurredAt: at });
    const results = [
      run("s0", "find a product", "pass", "2026-11-11T10:05:00Z"), run("s1", "find a product", "fail", "2026-11-19T10:05:00Z"),
      run("s0", "sort by price", "fail", "2026-11-11T10:05:00Z"), run("s1", "sort by price", "fail", "2026-11-19T10:05:00Z"), // never passed: not blamed
      run("s0", "filter", "pass", "2026-11-11T10:05:00Z"), run("s1", "filter", "pass", "2026-11-19T10:05:00Z"),
    ];
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: results })).status, 202);
    const { body } = await api.call(`/api/v1/digest?week=${WEEK}`);
    assert.deepEqual(body.digest.brokenUsecases.map((u: any) => [u.service, u.usecase, u.breaking.deploymentId, u.culprit, u.suspects]),
      [["search", "find a product", "s1", null, 0]]);
    assert.match(body.text, /Use cases broken:\n  search search > find a product \(since .+\): broken by s1 \(b1\), 0 suspect commits/);
    assert.match(body.html, /Use cases broken.*find a product.*s1 \(b1\), 0 suspect commits/s);
    const payments = await api.call(`/api/v1/digest?week=${WEEK}&team=payments`);
    assert.deepEqual(payments.body.digest.brokenUsecases, []);
  });

  it("mails the digest over SMTP: subject, recipients, both parts, figures equal to the API's", async () => {
    const sent = await api.call("/api/v1/digest/send", { method: "POST", json: { week: WEEK } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.status, "sent");
    assert.ok(await until(() => smtp.received.length === 1));
    const [{ mail, rcpt }] = smtp.received as [Received];
    const { from, to } = weekRange(WEEK);
    const dora = (await api.call(`/api/v1/dora?from=${from.toISOString()}&to=${to.toISOString()}`)).body;
    const rate = `${Math.round(dora.changeFailureRate.rate * 100)}%`;
    assert.equal(mail.subject, `Drumbeat weekly digest 2026-W47: ${dora.deploymentFrequency.count} deployments, change failure rate ${rate}`);
    assert.deepEqual(rcpt, ["cto@example.com", "eng@example.com"]);
    assert.equal(mail.from?.value[0]?.address, "drumbeat@example.com");
    assert.match(mail.text ?? "", new RegExp(`Change failure rate: ${rate} \\(${dora.changeFailureRate.failed} of ${dora.changeFailureRate.total}\\)`));
    assert.match(mail.text ?? "", new RegExp(`Deployment frequency: ${dora.deploymentFrequency.count} deployed`));
    assert.match(mail.text ?? "", /checkout c2 .*failed_status.*https:\/\/drumbeat\.example\.com\/deployments\/c2/);
    assert.ok(typeof mail.html === "string" && mail.html.includes(`${rate} (${dora.changeFailureRate.failed} of ${dora.changeFailureRate.total})`));
    assert.ok(mail.html.includes('href="https://drumbeat.example.com/deployments/c3"'));
  });

  it("never sends the same week twice: again, after a restart, or from two servers at once", async () => {
    const again = await api.call("/api/v1/digest/send", { method: "POST", json: { week: WEEK } });
    assert.deepEqual([again.status, again.body.status], [200, "already_sent"]);
    assert.equal((await service().send(WEEK, undefined)).status, "already_sent", "a restarted server sees the record");
    // Two servers race for the payments team's digest: one mail.
    const outcomes = await Promise.all([service().send(WEEK, "payments"), service().send(WEEK, "payments")]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ["in_progress", "sent"]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.received.length, 2);
    assert.deepEqual(smtp.received[1]!.rcpt, ["payments@example.com"]);
    assert.match(smtp.received[1]!.mail.subject ?? "", /\(payments\): 1 deployment, /);
  });

  it("reports an unreachable SMTP server clearly, does not mark the week sent, and the scheduler retries it", async () => {
    const port = await freePort();
    const down = service({ smtpUrl: `smtp://127.0.0.1:${port}`, to: ["cto@example.com"], teams: {} });
    await assert.rejects(down.send("2026-W46", undefined), (error: any) => error.status === 502 && /^cannot send the digest through smtp:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/.test(error.message));
    const scheduler = new DigestScheduler(down, { cron: "0 9 * * 1", timezone: "UTC", retryMs: 300 }, silent);
    try {
      // Start-up on Wednesday of W47: the Monday run (for W46) was missed and is sent now... but SMTP is down.
      await scheduler.start(new Date("2026-11-18T12:00:00Z"));
      const later = await startSmtp(port);
      try {
        assert.ok(await until(() => later.received.length === 1), "retried once SMTP is back");
        assert.match(later.received[0]!.mail.subject ?? "", /2026-W46: 1 deployment, /);
        await new Promise((r) => setTimeout(r, 700));
        assert.equal(later.received.length, 1, "sent once, then no more retries");
      } finally {
        await later.close();
      }
    } finally {
      scheduler.stop();
    }
  });

  it("renders in Chromium as a readable mail", async () => {
    const { body } = await api.call(`/api/v1/digest?week=${WEEK}`);
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.setContent(body.html, { waitUntil: "load" });
      assert.deepEqual(requests.filter((u) => !u.startsWith("about:") && !u.startsWith("data:")), [], "no external resources");
      assert.equal(await page.locator("h2").first().textContent(), "The DORA keys");
      const width = await page.evaluate(() => document.body.scrollWidth);
      assert.ok(width <= 700, `fits a mail pane (${width}px)`);
      const dir = new URL("../../../test-artifacts/", import.meta.url);
      mkdirSync(dir, { recursive: true });
      writeFileSync(new URL("digest.png", dir), await page.screenshot({ fullPage: true }));
      writeFileSync(new URL("digest.html", dir), body.html);
    } finally {
      await browser.close();
    }
  });
});
