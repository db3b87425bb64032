/**
 * Progress for long CLI commands: a redrawn bar with rate and ETA on a TTY, plain
 * periodic lines otherwise (CI logs, pipes). Always on stderr so stdout stays data.
 */
export class Progress {
  private done = 0;
  private readonly startedMs = Date.now();
  private lastDrawMs = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly unit = 'events',
  ) {}

  advance(by = 1): void {
    this.done += by;
    const now = Date.now();
    if (now - this.lastDrawMs >= (this.tty ? 100 : 2000)) {
      this.lastDrawMs = now;
      this.draw(now);
    }
  }

  finish(): void {
    this.draw(Date.now());
    if (this.tty) process.stderr.write('\n');
  }

  private draw(now: number): void {
    const seconds = Math.max((now - this.startedMs) / 1000, 0.001);
    const rate = this.done / seconds;
    const counts = this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`;
    const eta =
      this.total !== undefined && rate > 0
        ? ` eta ${Math.max(0, (this.total - this.done) / rate).toFixed(0)}s`
        : '';
    const line = `${this.label} ${counts} ${this.unit} ${rate.toFixed(0)}/s${eta}`;
    if (!this.tty) {
      process.stderr.write(`${line}\n`);
      return;
    }
    const width = 30;
    const filled = this.total ? Math.round((width * this.done) / Math.max(this.total, 1)) : 0;
    const bar = this.total ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
    process.stderr.write(`\r${bar}${line}\x1b[K`);
  }
}
