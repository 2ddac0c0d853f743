// Snowflake and snowflake-sdk error codes -> exptrack's error kinds, and the message rules.
import { describe, expect, it } from 'vitest';
import { kindOfSnowflakeError, toWarehouseError } from '../../src/warehouse/snowflake/snowflake-errors.js';

describe('snowflake error mapping', () => {
  it.each([
    ['390100', 'authentication'], // incorrect username or password
    ['390144', 'authentication'], // invalid JWT (key pair)
    ['390189', 'permission'], // role not granted to the user
    ['002003', 'not_found'], // object does not exist or not authorized
    ['000904', 'not_found'], // invalid identifier
    ['003001', 'permission'], // insufficient privileges
    ['000630', 'timeout'], // statement timeout
    ['000604', 'cancelled'],
    ['001003', 'syntax'],
    ['000606', 'config'], // no active warehouse
    ['100038', 'other'],
  ])('Snowflake %s -> %s', (code, kind) => {
    expect(kindOfSnowflakeError({ code })).toBe(kind);
  });

  it.each([
    [401001, undefined, 'connection'], // network, after the SDK's retries
    [402001, undefined, 'connection'], // result chunk download
    [401002, 429, 'quota'],
    [401002, 503, 'connection'],
    [401002, 403, 'authentication'],
  ])('SDK %s with HTTP %s -> %s', (code, status, kind) => {
    expect(kindOfSnowflakeError({ code, response: status ? { status } : undefined })).toBe(kind);
  });

  it('names target, experiment and step, joins Snowflake\'s lines, and scrubs secrets', () => {
    const err = toWarehouseError(
      { code: '002003', message: "SQL compilation error:\nObject 'S3CR3T.T' does not exist or not authorized." },
      { target: 'prod', experiment: 'checkout_redesign', step: 'metrics' },
      ['S3CR3T'],
    );
    expect(err.kind).toBe('not_found');
    expect(err.message).toBe("prod: checkout_redesign metrics: SQL compilation error: Object '***.T' does not exist or not authorized. (Snowflake 002003)");
  });
});
