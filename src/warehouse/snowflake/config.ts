import { z } from 'zod';
import { connectTimeoutSetting } from '../connect-timeout.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Snowflake target settings. Only non-secret values live here: the password or the private key
 * comes from environment variables whose names are settings, never from the file itself.
 */
export const snowflakeConfigSchema = z
  .object({
    account: z.string().min(1).describe('account identifier, e.g. myorg-myaccount'),
    username: z.string().min(1),
    warehouse: z.string().min(1).optional().describe('virtual warehouse that runs the queries'),
    role: z.string().min(1).optional(),
    database: z.string().min(1).optional(),
    schema: z.string().min(1).optional(),
    authenticator: z.enum(['password', 'key_pair']).default('password').describe('password: from password_env; key_pair: private key file from private_key_path_env'),
    password_env: z.string().regex(ENV_NAME).default('SNOWFLAKE_PASSWORD').describe('name of the environment variable holding the password'),
    private_key_path_env: z.string().regex(ENV_NAME).default('SNOWFLAKE_PRIVATE_KEY_PATH').describe('name of the environment variable holding the path of the PKCS#8 private key'),
    private_key_passphrase_env: z.string().regex(ENV_NAME).default('SNOWFLAKE_PRIVATE_KEY_PASSPHRASE').describe('name of the environment variable holding the key passphrase, when the key is encrypted'),
    connect_timeout_seconds: connectTimeoutSetting,
    query_timeout_seconds: z.number().int().positive().max(604800).default(300).describe('per query: STATEMENT_TIMEOUT_IN_SECONDS and a client timer that cancels the query'),
    access_url: z.string().url().optional().describe('overrides https://<account>.snowflakecomputing.com (tests, private link)'),
  })
  .strict();

export type SnowflakeConfig = z.infer<typeof snowflakeConfigSchema>;
