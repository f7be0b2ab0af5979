import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A private PostgreSQL cluster on a loopback port in a temp dir, for the comparison run:
 * Debian's postgresql package (installed when missing), run as the `postgres` user when
 * this process is root.
 */
const BIN = "/usr/lib/postgresql/15/bin";
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const : [cmd, args] as const;

function run(cmd: string, args: string[], input?: string): string {
  const [c, a] = asPostgres(cmd, args);
  return execFileSync(c, [...a], { input, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["pipe", "pipe", "inherit"] });
}

export function ensurePostgresInstalled(): void {
  if (existsSync(`${BIN}/initdb`)) return;
  execFileSync("flock", ["/tmp/apt.lock", "apt-get", "install", "-y", "postgresql"], { stdio: "inherit" });
}

export interface Postgres {
  port: number;
  psql(sql: string): string;
  stop(): void;
}

export function startPostgres(dir: string, port: number): Postgres {
  ensurePostgresInstalled();
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const data = join(dir, "pgdata");
  run(`${BIN}/initdb`, ["-D", data, "-U", "postgres", "--no-sync", "-A", "trust"]);
  const options = [
    `-p ${port}`, "-c listen_addresses=127.0.0.1", `-k ${dir}`, "-c shared_buffers=2GB", "-c work_mem=256MB",
    "-c maintenance_work_mem=1GB", "-c max_parallel_workers_per_gather=2", "-c fsync=off", "-c synchronous_commit=off",
    "-c jit=off",
  ].join(" ");
  run(`${BIN}/pg_ctl`, ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  return {
    port,
    psql: (sql) => run(`${BIN}/psql`, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"], sql),
    stop: () => void spawnSync(...asPostgres(`${BIN}/pg_ctl`, ["-D", data, "-m", "fast", "stop"]), { stdio: "inherit" }),
  };
}

export const SCHEMA = `
CREATE TABLE deployments (deployment_id text, service text, environment text, team text, version text, status text,
  status_at timestamptz, kind text, rolls_back text);
CREATE TABLE deployment_events (deployment_id text, service text, environment text, status text, occurred_at timestamptz);
CREATE TABLE deployment_commits (environment text, service text, deployment_id text, sha text, authored_at timestamptz);
CREATE TABLE incident_events (incident_id text, service text, environment text, status text, occurred_at timestamptz, caused_by text);
CREATE TABLE flag_events (service text, environment text, action text, occurred_at timestamptz);
CREATE TABLE commits (service text, sha text, authored_at timestamptz);`;

/** The indexes a careful PostgreSQL user would add for these queries. */
export const INDEXES = `
CREATE INDEX ON deployments (environment, status_at);
CREATE INDEX ON deployments (environment, service, status_at);
CREATE INDEX ON deployments (rolls_back) WHERE rolls_back <> '';
CREATE INDEX ON deployment_events (deployment_id);
CREATE INDEX ON deployment_commits (deployment_id);
CREATE INDEX ON deployment_commits (service, sha);
CREATE INDEX ON incident_events (service, incident_id);
CREATE INDEX ON flag_events (environment, service, occurred_at);
CREATE INDEX ON commits (service, sha);
ANALYZE;`;

export function loadCsv(pg: Postgres, dir: string, tables: string[]): void {
  pg.psql(SCHEMA);
  for (const table of tables) pg.psql(`COPY ${table} FROM '${dir}/${table}.csv' WITH (FORMAT csv);`);
  pg.psql(INDEXES);
}

/** Runs each statement `runs` times in one psql session; returns the server round-trip times in ms. */
export function timeQueries(pg: Postgres, dir: string, statements: string[], runs: number): number[][] {
  const script = ["\\timing on", "\\o /dev/null"];
  for (const statement of statements) for (let i = 0; i < runs; i++) script.push(statement.trim().replace(/;?$/, ";"));
  const file = join(dir, "queries.sql");
  writeFileSync(file, script.join("\n") + "\n");
  chmodSync(file, 0o644);
  const out = run(`${BIN}/psql`, ["-h", "127.0.0.1", "-p", String(pg.port), "-U", "postgres", "-X", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-f", file]);
  const times = [...out.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
  return statements.map((_, s) => times.slice(s * runs, (s + 1) * runs));
}
