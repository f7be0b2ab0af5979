import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CliError } from "./errors.ts";

export interface GitCommit {
  sha: string;
  author: string;
  authoredAt: string;
  committedAt: string;
  message: string;
}

// Unit and record separators cannot occur in a subject line, unlike tabs or newlines in names.
const FIELD = "\x1f";
const RECORD = "\x1e";
const FORMAT = ["%H", "%an", "%aI", "%cI", "%s"].join("%x1f") + "%x1e";

/** Parses `git log --format=FORMAT` output into commits, newest first as git prints them. */
export function parseGitLog(output: string): GitCommit[] {
  return output
    .split(RECORD)
    .map((record) => record.trim())
    .filter((record) => record.length > 0)
    .map((record) => {
      const [sha = "", author = "", authoredAt = "", committedAt = "", message = ""] = record.split(FIELD);
      return { sha, author, authoredAt, committedAt, message };
    });
}

/** The commits reachable from HEAD but not from `since`, read with git in `cwd`. */
export async function commitsSince(since: string, cwd = process.cwd()): Promise<GitCommit[]> {
  // A revision starting with "-" would reach git as an option.
  if (since.startsWith("-") || since.trim() === "") throw new CliError(`--commits-since: '${since}' is not a git revision`, 2);
  try {
    const { stdout } = await promisify(execFile)("git", ["log", `--format=${FORMAT}`, `${since}..HEAD`, "--"], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
    return parseGitLog(stdout);
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new CliError(`--commits-since ${since}: git log failed in ${cwd}: ${detail}`, 2);
  }
}
