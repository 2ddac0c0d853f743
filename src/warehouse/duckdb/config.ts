import { z } from 'zod';

export const duckdbConfigSchema = z
  .object({
    path: z.string().min(1).describe('database file, relative to the project root'),
    threads: z.number().int().positive().optional(),
    memory_limit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i).optional().describe('for example 8GB'),
    temp_directory: z.string().optional().describe('where DuckDB spills when memory_limit is reached'),
  })
  .strict();

export type DuckdbConfig = z.infer<typeof duckdbConfigSchema>;
