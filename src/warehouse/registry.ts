import { bigquery } from './bigquery/index.js';
import { duckdb } from './duckdb/index.js';
import { postgres } from './postgres/index.js';
import { snowflake } from './snowflake/index.js';
import type { Warehouse } from './types.js';

const WAREHOUSES: Record<string, Warehouse> = { bigquery, duckdb, postgres, snowflake } as unknown as Record<string, Warehouse>;

export function warehouseNames(): string[] {
  return Object.keys(WAREHOUSES).sort();
}

export function getWarehouse(name: string): Warehouse {
  const w = WAREHOUSES[name];
  if (!w) throw new Error(`unknown warehouse '${name}' (known: ${warehouseNames().join(', ')})`);
  return w;
}
