import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import { parse } from "yaml";
import { apiConfigFromEnv } from "../src/index.ts";

// Docker cannot run on the development machines, so the cluster is checked by reading its
// compose file and ClickHouse configuration, and checking each against the other.
const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const compose = parse(read("docker-compose.cluster.yml"), { merge: true });
const LISTS = [/remote_servers\.\w+\.shard$/, /remote_servers\.\w+\.shard\.replica$/, /zookeeper\.node$/, /raft_configuration\.server$/];
const xml = new XMLParser({ ignoreAttributes: false, isArray: (_name, path) => LISTS.some((list) => list.test(String(path))) });
const server = xml.parse(read("clickhouse/cluster/server.xml")).clickhouse;
const keeper = xml.parse(read("clickhouse/cluster/keeper.xml")).clickhouse.keeper_server;

type Service = { image: string; hostname: string; environment: Record<string, string>; volumes: string[] };
const services = compose.services as Record<string, Service>;
const nodes = Object.entries(services).filter(([, s]) => s.image?.startsWith("clickhouse/clickhouse-server:"));
const keepers = Object.entries(services).filter(([, s]) => s.image?.startsWith("clickhouse/clickhouse-keeper:"));

describe("docker-compose.cluster.yml", () => {
  const drumbeat = services.drumbeat!.environment;
  const cluster = server.remote_servers[drumbeat.CLICKHOUSE_CLUSTER!];

  it("runs 2 shards x 2 replicas of ClickHouse and 3 Keeper nodes", () => {
    assert.equal(nodes.length, 4);
    assert.equal(keepers.length, 3);
    assert.ok(cluster, `remote_servers names the cluster Drumbeat uses (${drumbeat.CLICKHOUSE_CLUSTER})`);
    assert.deepEqual(cluster.shard.map((shard: { replica: unknown[] }) => shard.replica.length), [2, 2]);
    for (const shard of cluster.shard) assert.equal(shard.internal_replication, true, "replicas copy through Keeper, not through the Distributed table");
  });

  it("gives every node the shard and replica macros that remote_servers places it in", () => {
    cluster.shard.forEach((shard: { replica: { host: string; port: number }[] }, index: number) => {
      for (const replica of shard.replica) {
        const [, node] = nodes.find(([, s]) => s.hostname === replica.host) ?? [];
        assert.ok(node, `a compose service is host ${replica.host}`);
        assert.equal(Number(node.environment.CLICKHOUSE_SHARD), index + 1);
        assert.equal(node.environment.CLICKHOUSE_REPLICA, replica.host);
        assert.equal(replica.port, 9000);
      }
    });
    assert.equal(server.macros.shard["@_from_env"], "CLICKHOUSE_SHARD");
    assert.equal(server.macros.replica["@_from_env"], "CLICKHOUSE_REPLICA");
    assert.equal(cluster.secret["@_from_env"], "CLICKHOUSE_CLUSTER_SECRET");
    for (const [, node] of nodes) {
      assert.ok(node.environment.CLICKHOUSE_CLUSTER_SECRET, "every node shares the cluster secret");
      assert.ok(node.volumes.some((v) => v.startsWith("./clickhouse/cluster/server.xml:/etc/clickhouse-server/config.d/")));
    }
  });

  it("points the nodes at the Keeper ensemble, whose Raft members are the keeper services", () => {
    const hosts = keepers.map(([, s]) => s.hostname).sort();
    assert.deepEqual(server.zookeeper.node.map((n: { host: string }) => n.host).sort(), hosts);
    for (const node of server.zookeeper.node) assert.equal(node.port, keeper.tcp_port);
    const raft = keeper.raft_configuration.server as { id: number; hostname: string }[];
    assert.deepEqual(raft.map((s) => s.hostname).sort(), hosts);
    for (const [, k] of keepers) {
      const member = raft.find((s) => s.hostname === k.hostname);
      assert.equal(String(member?.id), k.environment.KEEPER_SERVER_ID);
      assert.ok(k.volumes.some((v) => v.startsWith("./clickhouse/cluster/keeper.xml:")));
    }
    assert.equal(keeper.server_id["@_from_env"], "KEEPER_SERVER_ID");
    assert.ok(server.distributed_ddl.path, "ON CLUSTER DDL has a queue in Keeper");
  });

  it("mounts only files that exist, and runs the same ClickHouse version as the single server", () => {
    for (const [, s] of [...nodes, ...keepers]) {
      for (const volume of s.volumes.filter((v) => v.startsWith("./"))) assert.ok(existsSync(new URL(volume.split(":")[0]!, root)), volume);
    }
    const single = parse(read("docker-compose.yml")).services.clickhouse.image as string;
    for (const [, node] of nodes) assert.equal(node.image, single);
    for (const [, k] of keepers) assert.equal(k.image.split(":")[1], single.split(":")[1]);
  });

  it("gives Drumbeat a cluster configuration its own configuration accepts", () => {
    const resolved = Object.fromEntries(Object.entries(drumbeat).map(([key, value]) => [key, value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1")]));
    const config = apiConfigFromEnv(resolved);
    assert.equal(config.store.cluster, "drumbeat");
    assert.equal(new URL(config.store.url!).hostname, nodes[0]![1].hostname);
    for (const [name] of nodes) assert.equal(compose.services.drumbeat.depends_on[name]?.condition, "service_healthy");
  });
});
