import { closeSync, openSync } from "node:fs";

/**
 * The embedded engine takes the process's stdin as an INSERT's external data
 * (chdb-io/chdb-core#239): bytes waiting there make every insert fail ("both inlined and
 * external data"), and a pipe left open with nothing in it (a supervisor's, a test
 * runner's) can block an insert forever in read(0). Drumbeat never reads stdin in a process
 * that holds the engine, so fd 0 is pointed at /dev/null before the engine starts: the
 * engine then always finds it empty.
 */
export function detachStdinFromEngine(): void {
  if (process.platform === "win32") return;
  try {
    closeSync(0);
  } catch {
    // Already closed: the open below takes the free descriptor 0.
  }
  // POSIX gives the lowest free descriptor: 0.
  const fd = openSync("/dev/null", "r");
  if (fd !== 0) closeSync(fd);
}
