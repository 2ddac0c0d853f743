import type { ResolvedExperiment } from '../spec/types.js';
import { instrumentDdl } from './instrument-ddl.js';
import { trackingChecklist, trackingEventSchema } from './tracking-plan.js';

export interface InstrumentOutput {
  experiment: string;
  warehouse: string;
  ddl: string;
  eventSchema: object;
  checklist: string[];
}

/** Everything `exptrack instrument` prints for one experiment and warehouse. Pure: no connection. */
export function instrumentExperiment(exp: ResolvedExperiment, warehouse: string, templatesDir: string, projectRoot: string): InstrumentOutput {
  return { experiment: exp.id, warehouse, ddl: instrumentDdl(exp, warehouse, templatesDir, projectRoot), eventSchema: trackingEventSchema(exp), checklist: trackingChecklist(exp) };
}

/** The Markdown text form: DDL, JSON Schema and checklist, each in its own section. */
export function instrumentMarkdown(o: InstrumentOutput): string {
  return [
    `# Instrumentation for ${o.experiment} (${o.warehouse})`,
    '',
    '## Tables (DDL)',
    '',
    '```sql',
    o.ddl.trimEnd(),
    '```',
    '',
    '## Tracking events (JSON Schema)',
    '',
    '```json',
    JSON.stringify(o.eventSchema, null, 2),
    '```',
    '',
    '## Tracking rules',
    '',
    ...o.checklist.map((r) => `- [ ] ${r}`),
    '',
  ].join('\n');
}
