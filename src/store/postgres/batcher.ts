/**
 * Group commit for one kind of call: while `parallel` batches run, the calls that arrive wait, and the
 * next batch takes them all (at most `max`). Alone, a call runs at once as before; under load each batch
 * serves many calls for the price of one round trip (or one transaction). `run` answers each call of a
 * batch in order; should a batch fail, its calls are run again one by one, so a bad call fails alone.
 */
export class Batcher<I, O> {
  private waiting: { input: I; resolve(o: O): void; reject(err: unknown): void }[] = [];
  private running = 0;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly opts: { max?: number; parallel?: number } = {},
  ) {}

  call(input: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.running >= (this.opts.parallel ?? 1) || !this.waiting.length) return;
    this.running++;
    const batch = this.waiting.splice(0, this.opts.max ?? 200);
    this.settle(batch).finally(() => {
      this.running--;
      this.next();
    });
  }

  private async settle(batch: typeof this.waiting): Promise<void> {
    try {
      const out = await this.run(batch.map((w) => w.input));
      for (const [i, w] of batch.entries()) w.resolve(out[i]!);
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else for (const w of batch) await this.settle([w]);
    }
  }
}
