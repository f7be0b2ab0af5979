import { z } from "zod";
import { ruleFor, type CorrelationSettings } from "./settings.ts";
import { hodgesLehmann, mannWhitney, medianOf } from "./statistics.ts";

export const MetricVerdict = z.enum(["regressed", "improved", "no_change", "not_enough_data"]);
export type MetricVerdict = z.infer<typeof MetricVerdict>;

export const MetricComparison = z.object({
  metric: z.string(),
  direction: z.enum(["up_is_bad", "down_is_bad"]),
  group: z.string(),
  critical: z.boolean(),
  verdict: MetricVerdict,
  /** Minutes with points in the reference (before, or baseline) and the candidate (after, or canary). */
  samples: z.object({ reference: z.number(), candidate: z.number() }),
  medians: z.object({ reference: z.number().nullable(), candidate: z.number().nullable() }),
  /** Hodges-Lehmann estimate of candidate minus reference. */
  shift: z.number().nullable(),
  /** (candidate median - reference median) / |reference median|; null when the reference median is 0. */
  relativeChange: z.number().nullable(),
  u: z.number().nullable(),
  pValue: z.number().nullable(),
  method: z.enum(["exact", "normal"]).nullable(),
});
export type MetricComparison = z.infer<typeof MetricComparison>;

/**
 * One metric's verdict from two samples of per-minute values. A change counts when the
 * rank test finds it at the configured confidence and the medians moved by more than the
 * allowed band; its sign against the metric's direction says regressed or improved.
 */
export function compareSamples(metric: string, reference: readonly number[], candidate: readonly number[], settings: CorrelationSettings): MetricComparison {
  const rule = ruleFor(metric, settings.rules);
  const base = { metric, direction: rule.direction, group: rule.group, critical: rule.critical, samples: { reference: reference.length, candidate: candidate.length } };
  if (reference.length < settings.minSamples || candidate.length < settings.minSamples) {
    return {
      ...base, verdict: "not_enough_data",
      medians: { reference: reference.length ? medianOf(reference) : null, candidate: candidate.length ? medianOf(candidate) : null },
      shift: null, relativeChange: null, u: null, pValue: null, method: null,
    };
  }
  const test = mannWhitney(candidate, reference);
  const shift = hodgesLehmann(reference, candidate);
  const medians = { reference: medianOf(reference), candidate: medianOf(candidate) };
  const relativeChange = medians.reference === 0 ? null : (medians.candidate - medians.reference) / Math.abs(medians.reference);
  const significant = test.pValue < 1 - settings.confidence;
  const outsideBand = relativeChange === null ? shift !== 0 : Math.abs(relativeChange) > settings.allowedChange;
  const worse = rule.direction === "up_is_bad" ? shift > 0 : shift < 0;
  const verdict: MetricVerdict = significant && outsideBand && shift !== 0 ? (worse ? "regressed" : "improved") : "no_change";
  return { ...base, verdict, medians, shift, relativeChange, u: test.u, pValue: test.pValue, method: test.method };
}

export const DeploymentVerdict = z.enum(["regressed", "improved", "no_change", "not_enough_data"]);
export type DeploymentVerdict = z.infer<typeof DeploymentVerdict>;

/** A deployment's verdict: regressed if any metric regressed, else improved if any improved, else no change, unless nothing had data. */
export function overallVerdict(comparisons: readonly Pick<MetricComparison, "verdict">[]): DeploymentVerdict {
  if (comparisons.some((c) => c.verdict === "regressed")) return "regressed";
  if (comparisons.some((c) => c.verdict === "improved")) return "improved";
  if (comparisons.some((c) => c.verdict === "no_change")) return "no_change";
  return "not_enough_data";
}
