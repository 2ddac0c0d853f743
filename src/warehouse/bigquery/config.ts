import { z } from 'zod';
import { connectTimeoutSetting } from '../connect-timeout.js';

// BigQuery's label rules: keys start with a lowercase letter; keys and values hold at most 63
// lowercase letters, digits, '_' or '-'.
const labelKey = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'a label key: a lowercase letter, then up to 62 lowercase letters, digits, _ or -');
const labelValue = z.string().regex(/^[a-z0-9_-]{0,63}$/, 'a label value: up to 63 lowercase letters, digits, _ or -');

/** Non-secret settings only: credentials come from the client's standard chain (GOOGLE_APPLICATION_CREDENTIALS, gcloud ADC, metadata server). */
export const bigqueryConfigSchema = z
  .object({
    project: z.string().min(1).describe('project that runs (and pays for) the query jobs'),
    dataset: z.string().min(1).optional().describe('default dataset for table names without one'),
    location: z.string().min(1).optional().describe('job location, for example US, EU or europe-west1'),
    maximum_bytes_billed: z
      .union([z.number().int().positive(), z.string().regex(/^\d+$/)])
      .optional()
      .describe('a query that would bill more bytes fails instead of running'),
    labels: z.record(labelKey, labelValue).optional().describe('extra job labels, beside exptrack_experiment and exptrack_step'),
    connect_timeout_seconds: connectTimeoutSetting,
    query_timeout_seconds: z.number().positive().default(300).describe('a query still running after this is cancelled'),
    api_endpoint: z.string().url().optional().describe('another endpoint than https://bigquery.googleapis.com (an emulator, a test server)'),
  })
  .strict();

export type BigqueryConfig = z.infer<typeof bigqueryConfigSchema>;
