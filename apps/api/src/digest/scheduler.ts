import { Cron } from "croner";
import type { Logger } from "pino";
import { isoWeekOf, previousWeek } from "@drumbeat/analysis";
import type { DigestService } from "./service.ts";

export interface ScheduleSettings {
  /** Croner expression; default Monday 09:00. */
  cron: string;
  timezone: string;
  /** After a failed send, try again this much later (until it is sent). */
  retryMs: number;
}

/**
 * Sends each audience's digest of the week before the one a run falls in, every time the
 * cron fires, and once at start-up for the last run that should have happened (a server
 * that was down on Monday catches up; a week already sent is not sent again). A failed send
 * is retried every `retryMs`.
 */
export class DigestScheduler {
  private readonly job: Cron;
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(private readonly service: DigestService, private readonly settings: ScheduleSettings, private readonly logger: Logger) {
    this.job = new Cron(settings.cron, { timezone: settings.timezone, paused: true, protect: true }, () => this.runAt(new Date()));
  }

  /** The week a run at `at` reports on: the ISO week before the one holding it. */
  static weekFor(at: Date): string {
    return previousWeek(isoWeekOf(at));
  }

  /** Catches up on the last scheduled run before now, then follows the schedule. */
  async start(now = new Date()): Promise<void> {
    const [last] = this.job.previousRuns(1, now);
    if (last) await this.runAt(last);
    this.job.resume();
  }

  nextRun(): Date | null {
    return this.job.nextRun();
  }

  async runAt(at: Date): Promise<void> {
    const week = DigestScheduler.weekFor(at);
    for (const team of this.service.audiences()) await this.trySend(week, team);
  }

  private async trySend(week: string, team: string | undefined) {
    try {
      const outcome = await this.service.send(week, team);
      this.logger.info({ week, team, status: outcome.status }, "scheduled digest");
    } catch (error) {
      this.logger.error({ err: error, week, team, retryInMs: this.settings.retryMs }, "digest not sent; will retry");
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        void this.trySend(week, team);
      }, this.settings.retryMs);
      timer.unref();
      this.retries.add(timer);
    }
  }

  stop() {
    this.job.stop();
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
  }
}
