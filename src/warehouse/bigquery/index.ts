import type { Warehouse } from '../types.js';
import { bigqueryConfigSchema } from './config.js';
import { bigqueryDialect } from './dialect.js';

export const bigquery: Warehouse<typeof bigqueryConfigSchema> = {
  name: 'bigquery',
  dialect: bigqueryDialect,
  configSchema: bigqueryConfigSchema,
  address: (config) => `${config.api_endpoint ?? 'https://bigquery.googleapis.com'} project ${config.project}`,
  // Each query waits on the service, not on this machine: experiments overlap well.
  defaultConcurrency: 4,
  estimates: true,
  async createAdapter(config, env) {
    // The only place that reaches the SDK: `exptrack --help` and DuckDB runs never load it.
    const { openBigquery } = await import('./adapter.js');
    return openBigquery(config, env.targetName);
  },
};
