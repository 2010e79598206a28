/**
 * The fields of `value` that have a value: request bodies without `undefined` keys, and plain JSON for the engine
 * (Pulumi's struct encoder rejects `undefined`).
 */
export function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
