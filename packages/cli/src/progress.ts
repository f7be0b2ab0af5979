/** Progress of a long load on stderr: a redrawn bar on a terminal, periodic lines in a CI log. */
export interface Progress {
  /** `done` events so far; `fraction` (0..1) of the whole when the total is known. */
  update(done: number, fraction?: number): void;
  finish(): void;
}

export interface ProgressOptions {
  label: string;
  stream?: NodeJS.WriteStream;
  /** Milliseconds between lines when the stream is not a terminal. */
  lineIntervalMs?: number;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

export const formatCount = (n: number) => Math.round(n).toLocaleString("en-US");

export function eventsPerSecond(events: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (events * 1000) / elapsedMs : 0;
}

export function startProgress({ label, stream = process.stderr, lineIntervalMs = 5_000 }: ProgressOptions): Progress {
  const started = Date.now();
  const tty = stream.isTTY === true;
  let last = 0;
  let done = 0;
  let fraction: number | undefined;

  const describe = () => {
    const rate = formatCount(eventsPerSecond(done, Date.now() - started));
    const percent = fraction === undefined ? "" : ` ${Math.floor(fraction * 100)}%`;
    return { counts: `${formatCount(done)} events, ${rate}/s`, percent };
  };
  const draw = () => {
    const { counts, percent } = describe();
    if (tty) {
      const filled = fraction === undefined ? 0 : Math.round(Math.min(1, fraction) * BAR_WIDTH);
      const bar = fraction === undefined ? "" : ` [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]${percent}`;
      stream.write(`\r\x1b[2K${label}${bar} ${counts}`);
    } else {
      stream.write(`${label}:${percent} ${counts}\n`);
    }
  };

  return {
    update(count, part) {
      done = count;
      fraction = part;
      const now = Date.now();
      if (now - last < (tty ? REDRAW_MS : lineIntervalMs)) return;
      last = now;
      draw();
    },
    finish() {
      draw();
      if (tty) stream.write("\n");
    },
  };
}
