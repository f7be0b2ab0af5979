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

/** psql on the benchmark's cluster, stopping at the first error. */
const psqlArgs = (port: number) => ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-X", "-v", "ON_ERROR_STOP=1", "-d", "postgres"];

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
    psql: (sql) => run(`${BIN}/psql`, ["-q", ...psqlArgs(port)], sql),
    stop: () => {
      const [cmd, args] = asPostgres(`${BIN}/pg_ctl`, ["-D", data, "-m", "fast", "stop"]);
      spawnSync(cmd, [...args], { stdio: "inherit" });
    },
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

export interface StatementTimes {
  /** Server round-trip time of each run, in ms. */
  ms: number[];
  /** A run hit the statement timeout: it and the runs after it count as the timeout, a lower bound. */
  timedOut: boolean;
}

/**
 * Runs each statement `runs` times in a psql session of its own and times each run. The
 * first run that exceeds `timeoutSeconds` is cancelled and ends the statement's runs.
 */
export function timeQueries(pg: Postgres, dir: string, statements: string[], runs: number, timeoutSeconds: number): StatementTimes[] {
  return statements.map((statement, index) => {
    const sql = statement.trim().replace(/;?$/, ";");
    const file = join(dir, `statement-${index}.sql`);
    writeFileSync(file, [`SET statement_timeout = '${timeoutSeconds}s';`, "\\timing on", "\\o /dev/null", ...Array<string>(runs).fill(sql)].join("\n") + "\n");
    chmodSync(file, 0o644);
    const [cmd, args] = asPostgres(`${BIN}/psql`, [...psqlArgs(pg.port), "-f", file]);
    const result = spawnSync(cmd, [...args], { encoding: "utf8", maxBuffer: 1 << 30 });
    const timedOut = result.stderr.includes("canceling statement due to statement timeout");
    if (result.status !== 0 && !timedOut) throw new Error(`psql failed on statement ${index}: ${result.stderr}`);
    // psql times a cancelled run too (at about the timeout); the runs it skipped count as the timeout.
    const ms = [...result.stdout.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
    while (ms.length < runs) ms.push(timeoutSeconds * 1000);
    return { ms, timedOut };
  });
}
