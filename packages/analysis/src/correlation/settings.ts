import { z } from "zod";

/** Which way is worse for a metric. */
export const Direction = z.enum(["up_is_bad", "down_is_bad"]);
export type Direction = z.infer<typeof Direction>;

export interface MetricRule {
  /** Case-insensitive regular expression over the metric name. */
  pattern: RegExp;
  direction: Direction;
  /** Kayenta-style group; weights add up per group. */
  group: string;
  /** A failing critical metric scores the whole deployment 0. */
  critical: boolean;
}

/**
 * The rules the first match of which classifies a metric. The defaults read OpenTelemetry
 * semantic-convention names: errors and latency are worse up, throughput worse down.
 */
export const DEFAULT_RULES: readonly MetricRule[] = [
  { pattern: /error|fail|exception|5xx|fault/i, direction: "up_is_bad", group: "errors", critical: true },
  { pattern: /latency|duration|time|\.p50$|\.p95$|\.p99$/i, direction: "up_is_bad", group: "latency", critical: false },
  { pattern: /throughput|request|rps|qps|\.count$|success|hits/i, direction: "down_is_bad", group: "throughput", critical: false },
  { pattern: /.*/, direction: "up_is_bad", group: "other", critical: false },
];

export const DEFAULT_GROUP_WEIGHTS: Readonly<Record<string, number>> = { errors: 50, latency: 30, throughput: 20, other: 0 };

export interface CorrelationSettings {
  /** Minutes of the before window (ending when the deployment started) and the after window (starting when it finished). */
  windowMinutes: number;
  /** Fewer minutes with points than this in either sample: not enough data. */
  minSamples: number;
  /** Confidence of the rank test; a change is significant when p < 1 - confidence. */
  confidence: number;
  /** Relative change of medians within which a significant change still passes (Kayenta's allowed effect). */
  allowedChange: number;
  rules: readonly MetricRule[];
  groupWeights: Readonly<Record<string, number>>;
  passScore: number;
  marginalScore: number;
}

export const DEFAULT_CORRELATION_SETTINGS: CorrelationSettings = {
  windowMinutes: 30,
  minSamples: 5,
  confidence: 0.98,
  allowedChange: 0.1,
  rules: DEFAULT_RULES,
  groupWeights: DEFAULT_GROUP_WEIGHTS,
  passScore: 90,
  marginalScore: 75,
};

/**
 * `DRUMBEAT_METRIC_RULES`: `pattern=direction[:group[:critical]]` entries separated by
 * `;`, tried before the defaults, e.g. `checkout_declines=up:errors:critical;queue_depth=up`.
 */
export const MetricRulesText = z.string().transform((text, context): MetricRule[] => {
  const rules: MetricRule[] = [];
  for (const [index, entry] of text.split(";").map((part) => part.trim()).filter(Boolean).entries()) {
    const match = /^(.+)=(up|down)(?::([a-z_]+))?(?::(critical))?$/i.exec(entry);
    let pattern: RegExp | undefined;
    try {
      pattern = match ? new RegExp(match[1]!, "i") : undefined;
    } catch {
      pattern = undefined;
    }
    if (!match || !pattern) {
      context.addIssue({ code: "custom", path: [index], message: `'${entry}' is not pattern=up|down[:group[:critical]] with a valid regular expression` });
      continue;
    }
    rules.push({ pattern, direction: match[2]!.toLowerCase() === "up" ? "up_is_bad" : "down_is_bad", group: match[3] ?? "other", critical: Boolean(match[4]) });
  }
  return rules;
});

export function ruleFor(metric: string, rules: readonly MetricRule[]): MetricRule {
  return rules.find((rule) => rule.pattern.test(metric)) ?? DEFAULT_RULES.at(-1)!;
}
