import type { Warehouse } from '../types.js';
import { snowflakeConfigSchema } from './config.js';
import { snowflakeDialect } from './dialect.js';

export const snowflake: Warehouse<typeof snowflakeConfigSchema> = {
  name: 'snowflake',
  dialect: snowflakeDialect,
  configSchema: snowflakeConfigSchema,
  address: (config) => config.access_url ?? `${config.account}.snowflakecomputing.com`,
  // Each query waits on the service, not on this machine: experiments overlap well.
  defaultConcurrency: 4,
  estimates: false,
  async createAdapter(config, env) {
    // The adapter module imports snowflake-sdk; loading it here, and only here, keeps the SDK out
    // of `exptrack --help` and of DuckDB runs.
    const { openSnowflake } = await import('./adapter.js');
    return openSnowflake(config, env.targetName);
  },
};
