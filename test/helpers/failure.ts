// Runs a function that should throw a GatehouseError and returns it, so tests can look at its code and message.
import { GatehouseError } from '../../src/errors.ts';

export function failureOf(run: () => unknown): GatehouseError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected a GatehouseError, but nothing was thrown');
}
