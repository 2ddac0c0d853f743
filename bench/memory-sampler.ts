import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/**
 * Client-side memory of one benchmark repetition, apart from DuckDB's own buffers.
 *
 * DuckDB runs inside the Node process, so RSS includes its buffer pool. Every DuckDB instance the
 * process creates (the adapter's included: DuckDBInstance.create is wrapped) gets a second
 * connection that polls duckdb_memory(); each process.memoryUsage() sample subtracts the latest
 * DuckDB figure from RSS. V8's heap needs no subtraction: DuckDB never allocates on it.
 */

export interface MemoryPeaks {
  /** V8 heap in use before the measured work started. */
  heapUsedBaselineMb: number;
  heapUsedPeakMb: number;
  heapTotalPeakMb: number;
  rssPeakMb: number;
  /** Highest DuckDB buffer memory seen (duckdb_memory()), and highest temporary (spill) storage. */
  duckdbPeakMb: number;
  duckdbTempPeakMb: number;
  /** Highest RSS minus the DuckDB memory reported at the same moment. */
  rssApartFromDuckdbPeakMb: number;
  /** Memory V8 and Node account for (heap committed + external + array buffers), peak; DuckDB's is not in it. */
  v8AndExternalPeakMb: number;
  /** RSS when the first DuckDB instance was requested: Node with every exptrack module loaded. */
  rssBeforeDuckdbMb: number;
  /** Kernel high-water mark of RSS for the whole process (getrusage), DuckDB included. */
  maxRssMb: number;
  samples: number;
}

export interface DuckdbSessionSettings {
  threads: string;
  memory_limit: string;
  temp_directory: string;
}

const MB = 1024 * 1024;

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private poller: DuckDBConnection | undefined;
  private polling: Promise<void> | undefined;
  private duckdbBytes = 0;
  private polled = false;
  private peaks = { heapUsed: 0, heapTotal: 0, rss: 0, duckdb: 0, duckdbTemp: 0, rssApart: 0, v8: 0 };
  private rssBeforeDuckdb = 0;
  private samples = 0;
  private readonly baseline = process.memoryUsage().heapUsed;
  settings: DuckdbSessionSettings | undefined;

  constructor(private readonly intervalMs = 20) {
    const original = DuckDBInstance.create.bind(DuckDBInstance);
    DuckDBInstance.create = async (path?: string, options?: Record<string, string>) => {
      if (!this.rssBeforeDuckdb) this.rssBeforeDuckdb = process.memoryUsage().rss;
      const instance = await original(path, options);
      await this.watch(instance);
      return instance;
    };
  }

  private async watch(instance: DuckDBInstance): Promise<void> {
    this.poller = await instance.connect();
    const rows = (await this.poller.runAndReadAll(
      "SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', 'memory_limit', 'temp_directory')",
    )).getRowObjectsJS();
    this.settings = Object.fromEntries(rows.map((r) => [String(r.name), String(r.value)])) as unknown as DuckdbSessionSettings;
  }

  private pollDuckdb(): void {
    const c = this.poller;
    if (!c || this.polling) return;
    this.polling = c
      .runAndReadAll('SELECT COALESCE(SUM(memory_usage_bytes), 0) AS m, COALESCE(SUM(temporary_storage_bytes), 0) AS t FROM duckdb_memory()')
      .then((r) => {
        const [row] = r.getRowObjectsJS();
        this.duckdbBytes = Number(row.m);
        this.polled = true;
        this.peaks.duckdb = Math.max(this.peaks.duckdb, this.duckdbBytes);
        this.peaks.duckdbTemp = Math.max(this.peaks.duckdbTemp, Number(row.t));
      })
      .finally(() => {
        this.polling = undefined;
      });
  }

  /** One sample now; also called at synchronous points (between pipeline steps) the timer cannot reach. */
  sample(): void {
    const m = process.memoryUsage();
    this.samples++;
    this.peaks.heapUsed = Math.max(this.peaks.heapUsed, m.heapUsed);
    this.peaks.heapTotal = Math.max(this.peaks.heapTotal, m.heapTotal);
    this.peaks.rss = Math.max(this.peaks.rss, m.rss);
    this.peaks.v8 = Math.max(this.peaks.v8, m.heapTotal + m.external + m.arrayBuffers);
    // Only while DuckDB's figure is live: after the instance closes, RSS keeps memory the allocator
    // has not returned to the system, which is neither Node's nor measurable by DuckDB.
    if (this.poller && this.polled) this.peaks.rssApart = Math.max(this.peaks.rssApart, m.rss - this.duckdbBytes);
    this.pollDuckdb();
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops polling DuckDB and closes the polling connection; call before the instance is closed. */
  async detach(): Promise<void> {
    const c = this.poller;
    this.poller = undefined;
    await this.polling;
    c?.closeSync();
  }

  async stop(): Promise<MemoryPeaks> {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    await this.detach();
    return {
      heapUsedBaselineMb: this.baseline / MB,
      heapUsedPeakMb: this.peaks.heapUsed / MB,
      heapTotalPeakMb: this.peaks.heapTotal / MB,
      rssPeakMb: this.peaks.rss / MB,
      duckdbPeakMb: this.peaks.duckdb / MB,
      duckdbTempPeakMb: this.peaks.duckdbTemp / MB,
      rssApartFromDuckdbPeakMb: this.peaks.rssApart / MB,
      v8AndExternalPeakMb: this.peaks.v8 / MB,
      rssBeforeDuckdbMb: this.rssBeforeDuckdb / MB,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      samples: this.samples,
    };
  }
}
