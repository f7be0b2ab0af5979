// Runs the given node:test files in one process (Node 20 has no --test-isolation=none):
// one tsx start instead of one per file, so each Stryker mutant is tested in about a second.
// node:test sets a non-zero exit code when a test fails. Usage: node --import tsx scripts/test-in-one-process.mjs <files...>
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

for (const file of process.argv.slice(2)) await import(pathToFileURL(resolve(file)).href);
