import type { Warehouse } from '../types.js';
import { duckdbConfigSchema } from './config.js';
import { DUCKDB_STATE_CATALOG, duckdbDialect } from './dialect.js';

export const duckdb: Warehouse<typeof duckdbConfigSchema> = {
  name: 'duckdb',
  dialect: duckdbDialect,
  configSchema: duckdbConfigSchema,
  address: (config) => `file ${config.path}`,
  estimates: false,
  stateSchemaRef: () => `${DUCKDB_STATE_CATALOG}.main`,
  async createAdapter(config, env) {
    const { openDuckdb } = await import('./adapter.js');
    return openDuckdb(config, env.projectRoot, env.targetName, env.writeSchema);
  },
};
