/** The last cumulative reading of a stream: a sum's value or a histogram's counts. */
export interface CumulativeReading {
  startNs: bigint;
  timeNs: bigint;
  values: number[];
}

const MAX_STREAMS = 500_000;

/**
 * Remembers each cumulative stream's last reading, so the next one becomes a rate over
 * the interval between them. A reading that starts a new series (another start time, or
 * any value lower than before: a counter reset) is measured from its own start instead,
 * which is what OTLP's start time means. Out-of-order readings are measured from their
 * start too and do not move the stream's memory back.
 */
export class CumulativeTracker {
  private readonly last = new Map<string, CumulativeReading>();

  /** The interval and increase of `reading` since what came before it, or undefined when it cannot say. */
  delta(stream: string, reading: CumulativeReading): { seconds: number; values: number[] } | undefined {
    const previous = this.last.get(stream);
    const continues = previous !== undefined
      && previous.startNs === reading.startNs
      && reading.timeNs > previous.timeNs
      && previous.values.length === reading.values.length
      && reading.values.every((value, i) => value >= previous.values[i]!);
    if (previous === undefined || reading.timeNs > previous.timeNs) this.remember(stream, reading);
    if (continues) {
      return { seconds: Number(reading.timeNs - previous.timeNs) / 1e9, values: reading.values.map((value, i) => value - previous.values[i]!) };
    }
    if (reading.startNs > 0n && reading.timeNs > reading.startNs) {
      return { seconds: Number(reading.timeNs - reading.startNs) / 1e9, values: reading.values };
    }
    return undefined;
  }

  private remember(stream: string, reading: CumulativeReading) {
    if (this.last.size >= MAX_STREAMS && !this.last.has(stream)) this.last.delete(this.last.keys().next().value!);
    this.last.set(stream, reading);
  }
}
