import { z } from "zod";
import type { Store } from "@drumbeat/store";

/** One step of one attempt to mail one week's digest to one audience (clickhouse/0060). */
export interface SendStep {
  attemptId: string;
  step: "claimed" | "sent" | "failed";
  at: string;
}

const SendRow = z.object({ attemptId: z.string(), step: z.enum(["claimed", "sent", "failed"]), at: z.string() });

export function recordStep(store: Store, row: { week: string; team: string; attemptId: string; step: SendStep["step"]; instance: string; recipients?: string[]; messageId?: string; error?: string }) {
  return store.insert("digest_sends", [{
    week: row.week, team: row.team, attempt_id: row.attemptId, step: row.step, at: new Date().toISOString(),
    instance: row.instance, recipients: row.recipients ?? [], message_id: row.messageId ?? "", error: row.error ?? "",
  }]);
}

export function sendSteps(store: Store, week: string, team: string): Promise<SendStep[]> {
  return store.query({
    name: "digest.sendSteps",
    sql: `SELECT attempt_id AS attemptId, step, at FROM digest_sends
      WHERE week = {week:String} AND team = {team:String}
      ORDER BY at, attempt_id`,
    params: { week, team },
    rows: SendRow,
  });
}

export type Verdict = "send" | "sent" | "busy";

/**
 * Whether `attemptId`, having claimed, may send: never when an attempt has sent; otherwise
 * the earliest live claim wins (an attempt that failed, or claimed more than `leaseMs` ago
 * without finishing, is not live). Every server reading the same rows reaches the same answer.
 */
export function verdict(steps: readonly SendStep[], attemptId: string, now: Date, leaseMs: number): Verdict {
  if (steps.some((s) => s.step === "sent")) return "sent";
  const finished = new Set(steps.filter((s) => s.step === "failed").map((s) => s.attemptId));
  const live = steps.filter((s) => s.step === "claimed" && !finished.has(s.attemptId) && now.getTime() - Date.parse(s.at) < leaseMs);
  return live[0]?.attemptId === attemptId ? "send" : "busy";
}
