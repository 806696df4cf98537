// A tiny Prometheus registry (issue 18): counters, histograms and gauges read at scrape time, rendered in the text
// exposition format (version 0.0.4). A handful of metrics do not need a client library; names and labels follow
// Prometheus' conventions (snake_case, `_total` counters, base units: seconds).

type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
const withLabels = (name: string, key: string) => (key ? `${name}{${key}}` : name);
const number = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

interface Metric {
  render(): string[] | Promise<string[]>;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    private readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  /** The count for these labels (tests and the bench read it back). */
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${withLabels(this.name, key)} ${number(value)}`);
    return lines;
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly bounds: number[],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    this.bounds.forEach((bound, i) => {
      if (value <= bound) s.buckets[i]!++;
    });
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const le = (bound: string) => (key ? `${key},le="${bound}"` : `le="${bound}"`);
      this.bounds.forEach((bound, i) => lines.push(`${this.name}_bucket{${le(number(bound))}} ${s.buckets[i]}`));
      lines.push(`${this.name}_bucket{${le('+Inf')}} ${s.count}`);
      lines.push(`${withLabels(`${this.name}_sum`, key)} ${number(s.sum)}`);
      lines.push(`${withLabels(`${this.name}_count`, key)} ${s.count}`);
    }
    return lines;
  }
}

/** A value read when scraped (e.g. open steps from the database); a failed read leaves the gauge out of that scrape. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly read: () => Promise<Array<{ labels: Labels; value: number }>>,
  ) {}
  async render(): Promise<string[]> {
    const rows = await this.read();
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const row of rows) lines.push(`${withLabels(this.name, labelKey(row.labels))} ${number(row.value)}`);
    return lines;
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();
  /** Text from elsewhere appended to the scrape (the Temporal SDK's own exporter, when a worker runs here). */
  private readonly extra: Array<() => Promise<string>> = [];

  counter(name: string, help: string): Counter {
    return this.add(name, () => new Counter(name, help)) as Counter;
  }
  histogram(name: string, help: string, bounds: number[]): Histogram {
    return this.add(name, () => new Histogram(name, help, bounds)) as Histogram;
  }
  /** Registers (or replaces: a restarted app in the same process) a gauge read at scrape time. */
  gauge(name: string, help: string, read: () => Promise<Array<{ labels: Labels; value: number }>>): void {
    this.metrics.set(name, new Gauge(name, help, read));
  }
  /** Appends another exporter's text to every scrape; returns the way to stop. */
  append(read: () => Promise<string>): () => void {
    this.extra.push(read);
    return () => this.extra.splice(this.extra.indexOf(read) >>> 0, 1);
  }

  async render(): Promise<string> {
    const parts = await Promise.all(
      [...this.metrics.values()].map(async (m) => {
        try {
          return (await m.render()).join('\n');
        } catch {
          return '';
        }
      }),
    );
    const appended = await Promise.all(this.extra.map((read) => read().catch(() => '')));
    return `${[...parts, ...appended].filter(Boolean).join('\n')}\n`;
  }

  private add(name: string, make: () => Metric): Metric {
    let metric = this.metrics.get(name);
    if (!metric) this.metrics.set(name, (metric = make()));
    return metric;
  }
}

/** The process's one registry: counted where things happen, rendered by GET /metrics. */
export const metrics = new Registry();
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// What LawDesk counts (README "Metrics"). Event types are Feishu's (im.message.receive_v1, card.action.trigger, …).
export const eventsReceived = metrics.counter(
  'lawdesk_events_received_total',
  'Feishu events decoded at the door, by type',
);
export const eventsDeduplicated = metrics.counter(
  'lawdesk_events_deduplicated_total',
  'Deliveries dropped as duplicates of one already taken, by type',
);
export const eventsAnswered = metrics.counter(
  'lawdesk_events_answered_total',
  'Taken events by outcome: answered (done), left (un-done for redelivery), refused (503 while stopping)',
);
export const ackSeconds = metrics.histogram(
  'lawdesk_event_ack_seconds',
  "Time from receiving a Feishu event to answering Feishu's request",
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);
export const feishuSends = metrics.counter(
  'lawdesk_feishu_sends_total',
  'Message sends to Feishu by result: ok, rate_limited (429 / 99991400), refused (other Feishu code), network',
);
export const sendBudgetWait = metrics.histogram(
  'lawdesk_send_budget_wait_seconds',
  "Time a send waited for the app's shared budget (50/s, 1,000/min) before going to Feishu",
  [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 180],
);
