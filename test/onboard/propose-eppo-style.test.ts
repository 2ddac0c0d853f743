// Stumble from the stranger test on an Eppo-style schema: the assignment log names its unit id
// `subject`, the fact and dimension tables `user_id`. The exposure source is proposed anyway, with
// the unit named after the id the other tables share.
import { describe, expect, it } from 'vitest';
import { catalogueFromRows } from '../../src/catalogue/catalogue.js';
import { proposeModels } from '../../src/init/propose-models.js';

const rows = (table: string, cols: [string, string][]) => cols.map(([column_name, data_type]) => ({ table_schema: 'analytics', table_name: table, column_name, data_type }));

describe('proposals on an Eppo-style schema', () => {
  const catalogue = catalogueFromRows(
    [
      ...rows('assignments', [['timestamp', 'TIMESTAMP'], ['experiment', 'VARCHAR'], ['variation', 'VARCHAR'], ['subject', 'VARCHAR'], ['allocation', 'VARCHAR']]),
      ...rows('purchases', [['user_id', 'VARCHAR'], ['ts', 'TIMESTAMP'], ['amount', 'DECIMAL(10,2)']]),
      ...rows('users', [['user_id', 'VARCHAR'], ['is_internal', 'BOOLEAN'], ['country', 'VARCHAR']]),
    ],
    ['main'],
  );
  const p = proposeModels(catalogue);

  it('proposes the assignment log keyed by `subject` as the exposure source of unit `user`', () => {
    expect(p.unit).toBe('user');
    expect(p.exposure).toMatchObject({ table: 'analytics.assignments', unitColumn: 'subject', timestamp: 'timestamp', experimentKey: 'experiment', variant: 'variation' });
    expect(p.skipped).toEqual([]);
  });

  it('keeps the fact and attribute tables on their own id column', () => {
    expect(p.events).toEqual([expect.objectContaining({ name: 'purchases', unitColumn: 'user_id', timestamp: 'ts' })]);
    expect(p.attributes).toEqual([expect.objectContaining({ name: 'users', unitColumn: 'user_id', timestamp: null })]);
  });

  it('a table keyed by `subject` alone still joins the same unit', () => {
    const q = proposeModels(catalogueFromRows([...rows('assignments', [['timestamp', 'TIMESTAMP'], ['experiment', 'VARCHAR'], ['variation', 'VARCHAR'], ['subject', 'VARCHAR']]), ...rows('clicks', [['subject', 'VARCHAR'], ['clicked_at', 'TIMESTAMP']])], ['main']));
    expect(q.exposure?.unitColumn).toBe('subject');
    expect(q.events).toEqual([expect.objectContaining({ name: 'clicks', unitColumn: 'subject' })]);
  });
});
