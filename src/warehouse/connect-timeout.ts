import { z } from 'zod';
import { WarehouseError } from './types.js';

/**
 * The connect timeout every adapter honours: how long logging in (or a cloud warehouse's first
 * request) may take before the run fails. Separate from the per-query timeout: an address that never
 * answers should fail in seconds, not after a driver's own login retries (Snowflake's took minutes).
 */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;

export const connectTimeoutSetting = z
  .number()
  .positive()
  .max(3600)
  .default(DEFAULT_CONNECT_TIMEOUT_SECONDS)
  .describe('seconds to log in (or get an answer to the first request) before giving up');

export function connectTimeoutError(seconds: number, address: string, target: string): WarehouseError {
  return new WarehouseError(`could not connect to ${address} within ${seconds} s (connect_timeout_seconds): the address does not answer`, { target, experiment: '-', step: 'connect' }, 'connection');
}

/**
 * Runs `connect` against a deadline. On timeout, `abandon` is told to drop the attempt (destroy the
 * socket or session) and the call fails with a connection error; a connection that still completes
 * later is closed through `abandon` too, so nothing keeps the process alive.
 */
export function connectWithin<T>(seconds: number, address: string, target: string, connect: () => Promise<T>, abandon: (late: T | null) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      abandon(null);
      reject(connectTimeoutError(seconds, address, target));
    }, seconds * 1000);
    connect().then(
      (value) => {
        clearTimeout(timer);
        if (done) return abandon(value);
        done = true;
        resolve(value);
      },
      (e) => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        reject(e);
      },
    );
  });
}
