import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { apiConfigFromEnv } from "../src/index.ts";

// Docker cannot run on the development machines, so the compose file is checked by reading it.
const compose = parse(readFileSync(new URL("../../../docker-compose.yml", import.meta.url), "utf8"));

describe("docker-compose.yml", () => {
  const { clickhouse, drumbeat } = compose.services;

  it("runs a ClickHouse server with a health check and a data volume", () => {
    assert.match(clickhouse.image, /^clickhouse\/clickhouse-server:/);
    assert.ok(clickhouse.healthcheck.test.join(" ").includes("8123/ping"));
    assert.ok(clickhouse.volumes.some((v: string) => v.endsWith(":/var/lib/clickhouse")));
    assert.ok(compose.volumes && "clickhouse-data" in compose.volumes);
  });

  it("wires Drumbeat to that server through CLICKHOUSE_URL, with the same credentials", () => {
    const env = drumbeat.environment;
    const url = new URL(env.CLICKHOUSE_URL);
    assert.equal(url.hostname, "clickhouse");
    assert.equal(url.port, "8123");
    assert.equal(env.CLICKHOUSE_USER, clickhouse.environment.CLICKHOUSE_USER);
    assert.equal(env.CLICKHOUSE_PASSWORD, clickhouse.environment.CLICKHOUSE_PASSWORD);
    assert.equal(env.CLICKHOUSE_DATABASE, clickhouse.environment.CLICKHOUSE_DB);
    assert.equal(drumbeat.depends_on.clickhouse.condition, "service_healthy");
  });

  it("gives Drumbeat an environment its own configuration accepts, with auth on", () => {
    const resolved = Object.fromEntries(
      Object.entries(drumbeat.environment as Record<string, string>).map(([key, value]) => [key, value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1")]),
    );
    const config = apiConfigFromEnv(resolved);
    assert.equal(config.auth, "on");
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.store.url, "http://clickhouse:8123");
    assert.ok(drumbeat.ports.includes(`${config.port}:${config.port}`));
  });

  it("serves the dashboard with sign-in, never with a shared read token on its public address", () => {
    const env = drumbeat.environment;
    assert.equal("DRUMBEAT_WEB_TOKEN" in env, false);
    assert.doesNotMatch(readFileSync(new URL("../../../docker-compose.yml", import.meta.url), "utf8"), /DRUMBEAT_WEB_TOKEN/);
    assert.equal(env.DRUMBEAT_AUTH, "on");
    assert.doesNotMatch(drumbeat.command.join(" "), /--no-web/);
    assert.equal(drumbeat.ports.some((port: string) => port.endsWith(":3001")), true);
  });

  it("starts Drumbeat with the same commands a newcomer uses", () => {
    const command = drumbeat.command.join(" ");
    assert.match(command, /npm ci/);
    assert.match(command, /npm run build/);
    assert.match(command, /serve/);
    assert.match(drumbeat.healthcheck.test.join(" "), /\/readyz/);
  });

  it("runs Grafana with Drumbeat's plugins and provisioning, reaching Drumbeat's API by its service name", () => {
    const { grafana } = compose.services;
    const plugins = grafana.environment.GF_INSTALL_PLUGINS.split(",");
    for (const plugin of ["simpod-json-datasource", "yesoreyeram-infinity-datasource"]) assert.ok(plugins.includes(plugin), plugin);
    assert.ok(grafana.volumes.includes("./grafana/provisioning:/etc/grafana/provisioning:ro"));
    assert.ok(grafana.volumes.some((v: string) => v.startsWith("./grafana/dashboards:/var/lib/grafana/dashboards/drumbeat")));
    const internal = new URL(grafana.environment.DRUMBEAT_INTERNAL_URL);
    assert.equal(internal.hostname, "drumbeat");
    assert.equal(internal.port, drumbeat.environment.PORT);
    assert.equal(grafana.depends_on.drumbeat.condition, "service_healthy");
    assert.ok("GRAFANA_URL" in drumbeat.environment && "GRAFANA_TOKEN" in drumbeat.environment);
  });
});
