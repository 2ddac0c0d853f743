// Stumbles from the stranger test on a GrowthBook/Segment-style schema, kept fixed.
import { describe, expect, it } from 'vitest';
import { catalogueFromRows } from '../../src/catalogue/catalogue.js';
import { proposeModels } from '../../src/init/propose-models.js';
import { VariantSchema } from '../../src/spec/schemas.js';

const rows = (table: string, cols: [string, string][]) => cols.map(([column_name, data_type]) => ({ table_schema: 'prod', table_name: table, column_name, data_type }));

describe('proposals on a Segment-style schema', () => {
  const catalogue = catalogueFromRows(
    [
      ...rows('experiment_viewed', [['id', 'VARCHAR'], ['anonymous_id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['received_at', 'TIMESTAMP'], ['timestamp', 'TIMESTAMP'], ['experiment_id', 'VARCHAR'], ['variation_id', 'INTEGER']]),
      ...rows('tracks', [['id', 'VARCHAR'], ['user_id', 'VARCHAR'], ['event', 'VARCHAR'], ['timestamp', 'TIMESTAMP'], ['received_at', 'TIMESTAMP']]),
      ...rows('users', [['id', 'VARCHAR'], ['email', 'VARCHAR'], ['is_internal', 'BOOLEAN']]),
    ],
    ['main'],
  );
  const p = proposeModels(catalogue);

  it('takes `timestamp` as the event time and received_at as the load time', () => {
    expect(p.exposure).toMatchObject({ table: 'prod.experiment_viewed', unitColumn: 'user_id', timestamp: 'timestamp', loadedAt: 'received_at', experimentKey: 'experiment_id', variant: 'variation_id' });
    expect(p.events[0]).toMatchObject({ name: 'tracks', timestamp: 'timestamp', loadedAt: 'received_at', eventNameColumn: 'event' });
  });

  it('finds the users table by its `id` column as an attribute table', () => {
    expect(p.attributes).toEqual([expect.objectContaining({ name: 'users', unitColumn: 'id', timestamp: null })]);
  });

  it('accepts integer variant keys (variation_id 0, 1) as their text', () => {
    expect(VariantSchema.parse({ key: 0, weight: 0.5 }).key).toBe('0');
    expect(VariantSchema.safeParse({ key: -1, weight: 0.5 }).success).toBe(false);
  });
});
