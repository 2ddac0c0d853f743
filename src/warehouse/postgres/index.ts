import type { Warehouse } from '../types.js';
import { postgresConfigSchema } from './config.js';
import { postgresDialect } from './dialect.js';

export const postgres: Warehouse<typeof postgresConfigSchema> = {
  name: 'postgres',
  dialect: postgresDialect,
  configSchema: postgresConfigSchema,
  address: (config) => `${config.host}:${config.port}/${config.database}`,
  estimates: false,
  async createAdapter(config, env) {
    // knex and pg load only here, so DuckDB runs and `--help` never pay for them.
    const { openPostgres } = await import('./adapter.js');
    return openPostgres(config, env.targetName);
  },
};
