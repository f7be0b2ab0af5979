import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { collectDigest, type DoraSettings } from "@drumbeat/analysis";
import type { Store } from "@drumbeat/store";
import { HttpError } from "../errors.ts";
import { renderDigest } from "./html.ts";
import { sendMail, SmtpError } from "./mailer.ts";
import { recordStep, sendSteps, verdict } from "./sends.ts";
import { renderText } from "./text.ts";

/** Who gets which digest and how it travels (docs/digest.md). */
export interface DigestSettings {
  smtpUrl: string | undefined;
  from: string | undefined;
  /** Everyone's digest (all teams). */
  to: string[];
  /** Each team's own digest, from the collectors' configuration file. */
  teams: Record<string, string[]>;
  dashboardUrl: string;
  /** Wait between claiming and reading the claims back, so that racing servers see each other's claim. */
  settleMs: number;
  /** A claim older than this that never finished (a crashed server) no longer blocks a send. */
  leaseMs: number;
}

export type SendOutcome =
  | { status: "sent"; week: string; team: string | null; recipients: string[]; messageId: string }
  | { status: "already_sent" | "in_progress"; week: string; team: string | null };

export class DigestService {
  /** Names this server in the send records. */
  readonly instance = randomUUID();

  constructor(
    private readonly store: Store,
    private readonly dora: DoraSettings,
    readonly settings: DigestSettings,
    private readonly logger: Logger,
  ) {}

  async render(week: string, team: string | undefined) {
    const digest = await collectDigest(this.store, week, team, this.dora);
    return { digest, ...renderDigest(digest, this.settings.dashboardUrl), text: renderText(digest, this.settings.dashboardUrl) };
  }

  recipients(team: string | undefined): string[] {
    return team === undefined ? this.settings.to : this.settings.teams[team] ?? [];
  }

  /** Audiences with recipients: everyone (when DRUMBEAT_DIGEST_TO is set) and each configured team. */
  audiences(): (string | undefined)[] {
    return [...(this.settings.to.length ? [undefined] : []), ...Object.keys(this.settings.teams)];
  }

  /**
   * Mails one week's digest to one audience unless it was sent: claim, let racing claims
   * land, send only if this claim is the earliest live one, then record sent or failed.
   * A failed send is recorded as failed (so a retry may claim again) and thrown.
   */
  async send(week: string, team: string | undefined): Promise<SendOutcome> {
    const { smtpUrl, from } = this.settings;
    if (!smtpUrl || !from) throw new HttpError(409, "digest_not_configured", "set SMTP_URL and DRUMBEAT_DIGEST_FROM to send digests");
    const to = this.recipients(team);
    if (to.length === 0) {
      throw new HttpError(409, "no_recipients", team ? `no recipients for team '${team}' (digest.teams in the collectors configuration)` : "set DRUMBEAT_DIGEST_TO");
    }
    const key = { week, team: team ?? "" };
    const audience = { week, team: team ?? null };
    if (verdict(await sendSteps(this.store, week, key.team), "", new Date(), this.settings.leaseMs) === "sent") return { status: "already_sent", ...audience };
    const attemptId = randomUUID();
    await recordStep(this.store, { ...key, attemptId, step: "claimed", instance: this.instance });
    await new Promise((resolve) => setTimeout(resolve, this.settings.settleMs));
    const decided = verdict(await sendSteps(this.store, week, key.team), attemptId, new Date(), this.settings.leaseMs);
    if (decided !== "send") {
      await recordStep(this.store, { ...key, attemptId, step: "failed", instance: this.instance, error: `lost the claim: ${decided}` });
      return { status: decided === "sent" ? "already_sent" : "in_progress", ...audience };
    }
    try {
      const { subject, html, text } = await this.render(week, team);
      const messageId = await sendMail(smtpUrl, { from, to, subject, html, text });
      await recordStep(this.store, { ...key, attemptId, step: "sent", instance: this.instance, recipients: to, messageId });
      this.logger.info({ week, team, recipients: to.length, messageId }, "digest sent");
      return { status: "sent", ...audience, recipients: to, messageId };
    } catch (error) {
      await recordStep(this.store, { ...key, attemptId, step: "failed", instance: this.instance, error: (error as Error).message });
      if (error instanceof SmtpError) throw new HttpError(502, "smtp_failed", error.message);
      throw error;
    }
  }
}
