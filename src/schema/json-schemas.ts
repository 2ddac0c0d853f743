import { z } from 'zod';
import { ModelsFileSchema, SpecSchema } from '../spec/schemas.js';

export const SCHEMA_FILES = { spec: 'spec.schema.json', models: 'models.schema.json' } as const;

/** JSON Schemas for editors, generated from the same zod schemas that validate the files. */
export function jsonSchemas(): { spec: string; models: string } {
  const render = (schema: z.ZodType, title: string) =>
    `${JSON.stringify({ title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) }, null, 2)}\n`;
  return { spec: render(SpecSchema, 'exptrack experiment spec'), models: render(ModelsFileSchema, 'exptrack models file (sources, metrics, filters)') };
}
