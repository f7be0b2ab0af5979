import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { AnnotationPusher } from "../src/grafana/annotationPush.ts";
import { startTestApi, type TestApi } from "./helpers.ts";

/** Stands in for Grafana's HTTP API: records each POST /api/annotations, answers with `status`. */
class FakeGrafana {
  readonly received: { auth: string | undefined; body: any }[] = [];
  /** Every request answered, whatever the status. */
  requests = 0;
  status = 200;
  /** While set, every answer waits for it (a Grafana that hangs). */
  hold: Promise<void> | undefined;
  private server: Server | undefined;
  port = 0;

  async start(port = 0) {
    this.server = createServer(async (req: IncomingMessage, res) => {
      const status = this.status;
      let text = "";
      for await (const chunk of req) text += chunk;
      this.requests += 1;
      await this.hold;
      if (req.method === "POST" && req.url === "/api/annotations" && status === 200) {
        this.received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
      }
      res.writeHead(status, { "content-type": "application/json" }).end('{"id":1}');
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
}

const until = async (check: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

const deployment = (id: string, extra: object = {}) => ({
  type: "deployment", deploymentId: id, service: "checkout", environment: "production", team: "payments",
  version: `v-${id}`, status: "succeeded", occurredAt: "2026-11-20T10:00:00Z", actor: "ana", ...extra,
});

describe("deployment markers pushed to Grafana's annotations API", () => {
  const grafana = new FakeGrafana();
  let api: TestApi;
  before(async () => {
    await grafana.start();
    api = await startTestApi("grafana_push", { grafana: { url: grafana.url, token: "glsa_test" } });
  });
  after(async () => {
    await grafana.stop();
    await api?.dispose();
  });

  it("pushes each finished production deployment once, tagged with service, environment and version", async () => {
    const batch = [
      deployment("d1"),
      deployment("d2", { status: "started" }),
      deployment("d3", { environment: "staging" }),
      deployment("d4", { kind: "rollback", rollsBack: "d1", occurredAt: "2026-11-20T11:00:00Z" }),
      { type: "incident", incidentId: "i1", service: "checkout", environment: "production", status: "opened", occurredAt: "2026-11-20T10:10:00Z" },
    ];
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: batch })).status, 202);
    assert.ok(await until(() => grafana.received.length >= 2));
    const [first, second] = grafana.received;
    assert.equal(first!.auth, "Bearer glsa_test");
    assert.deepEqual(first!.body, {
      time: Date.parse("2026-11-20T10:00:00Z"),
      tags: ["drumbeat", "deployment", "succeeded", "service:checkout", "environment:production", "version:v-d1"],
      text: "checkout v-d1 succeeded by ana (deployment d1)",
    });
    assert.deepEqual(second!.body.tags.slice(0, 2), ["drumbeat", "rollback"]);
    // A retried request writes nothing new, so nothing is pushed again.
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: batch })).body.duplicates, 5);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(grafana.received.length, 2);
  });

  it("never slows ingest: a Grafana that hangs or is down does not delay the answer", async () => {
    let release!: () => void;
    grafana.hold = new Promise((resolve) => (release = resolve));
    try {
      // Grafana cannot answer until released, yet ingest answers: it never waited for the push.
      const posted = await api.call("/api/v1/events", { method: "POST", json: deployment("d5") });
      assert.equal(posted.status, 202);
      assert.ok(await until(() => grafana.requests === 3), "the push reached the hanging Grafana");
      assert.equal(grafana.received.length, 2, "and is still unanswered");
    } finally {
      release();
      grafana.hold = undefined;
    }
    assert.ok(await until(() => grafana.received.length === 3));
  });
});

describe("AnnotationPusher retries", () => {
  const logger = pino({ level: "silent" });
  const event = deployment("r1") as any;

  it("retries while Grafana is down and delivers once it is back, once", async () => {
    const grafana = await new FakeGrafana().start();
    const port = grafana.port;
    await grafana.stop();
    const pusher = new AnnotationPusher({ url: `http://127.0.0.1:${port}`, token: "t", productionEnvironment: "production", logger, retryDelaysMs: [100, 200, 400, 800] });
    pusher.afterWrite([event]);
    await new Promise((r) => setTimeout(r, 150));
    const back = await new FakeGrafana().start(port);
    try {
      assert.ok(await until(() => back.received.length === 1));
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(back.received.length, 1);
    } finally {
      pusher.close();
      await back.stop();
    }
  });

  it("retries a 503, gives up on a 401, and stops after the last retry", async () => {
    const grafana = await new FakeGrafana().start();
    grafana.status = 503;
    const pusher = new AnnotationPusher({ url: grafana.url, token: "t", productionEnvironment: "production", logger, retryDelaysMs: [50, 50] });
    try {
      pusher.afterWrite([event]);
      assert.ok(await until(() => grafana.requests === 1));
      grafana.status = 200;
      assert.ok(await until(() => grafana.received.length === 1));

      grafana.status = 401;
      pusher.afterWrite([{ ...event, version: "v2" }]);
      assert.ok(await until(() => grafana.requests === 3));
      grafana.status = 200;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(grafana.received.length, 1, "a refused push is not retried");

      grafana.status = 503;
      pusher.afterWrite([{ ...event, version: "v3" }]);
      assert.ok(await until(() => grafana.requests === 6), "the first try and two retries");
      grafana.status = 200;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(grafana.received.length, 1, "dropped after the last retry");
    } finally {
      pusher.close();
      await grafana.stop();
    }
  });
});
