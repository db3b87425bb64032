/**
 * The server's Prometheus metrics in one registry. Counters are bumped where things happen;
 * gauges that describe current state are read when Prometheus scrapes (`collect`), so nothing
 * has to keep them up to date.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type GaugeSource = () => number | Promise<number>;
export type LabelledGaugeSource = () => Promise<
  ReadonlyArray<{ labels: Record<string, string>; value: number }>
>;

export class ServerMetrics {
  readonly registry = new Registry();

  readonly appendSeconds = new Histogram({
    name: 'plan_event_store_append_seconds',
    help: 'Time from append request to durable acknowledgement (group commit included)',
    labelNames: ['store'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly storeErrors = new Counter({
    name: 'plan_event_store_errors_total',
    help: 'Event store operations that failed, by error code',
    labelNames: ['store', 'code'],
    registers: [this.registry],
  });

  readonly updates = new Counter({
    name: 'plan_updates_total',
    help: 'Document updates made durable on this node, by origin (connection, rest)',
    labelNames: ['origin'],
    registers: [this.registry],
  });

  readonly documentLoads = new Counter({
    name: 'plan_document_loads_total',
    help: 'Plans loaded into memory on this node, by what the state started from (snapshot: the newest snapshot then the tail; events: the whole stream)',
    labelNames: ['source'],
    registers: [this.registry],
  });

  readonly documentLoadTailEvents = new Counter({
    name: 'plan_document_load_tail_events_total',
    help: 'Events read from the store and applied while loading plans, after the starting state, by source',
    labelNames: ['source'],
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'plan_redis_errors_total',
    help: 'Redis errors (fan-out, feed adapter); missed messages are recovered from the store',
    labelNames: ['component'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'plan_' });
  }

  /** a gauge whose value is read at scrape time */
  gauge(name: string, help: string, source: GaugeSource): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await source());
      },
    });
  }

  labelledGauge(
    name: string,
    help: string,
    labelNames: string[],
    source: LabelledGaugeSource,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await source()) this.set(labels, value);
      },
    });
  }
}
