import { z } from 'zod';
import { connectTimeoutSetting } from '../connect-timeout.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/** Target settings for `type: postgres`. Only the password's variable name lives here, never the password. */
export const postgresConfigSchema = z
  .object({
    host: z.string().min(1).default('localhost'),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    schema: z.string().min(1).optional().describe('search_path for the session; table references in models may still name their schema'),
    password_env: envName.default('PGPASSWORD').describe('environment variable holding the password'),
    ssl: z
      .enum(['disable', 'require', 'verify-full'])
      .default('disable')
      .describe('require: encrypt without checking the certificate; verify-full: encrypt and check it against the system CAs'),
    query_timeout_seconds: z.number().positive().default(300).describe('per query; the server cancels the statement when it is reached'),
    connect_timeout_seconds: connectTimeoutSetting,
    max_retries: z.number().int().min(0).max(10).default(3).describe('re-runs after a transient failure (dropped connection, too many connections, serialization failure)'),
    application_name: z.string().min(1).default('exptrack').describe("shown in pg_stat_activity, so a DBA sees who runs what"),
  })
  .strict();

export type PostgresConfig = z.infer<typeof postgresConfigSchema>;
