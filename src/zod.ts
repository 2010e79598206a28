/**
 * The part of zod this package uses: import it as `import * as z from "<path>/zod"`, not zod's own `z`. zod's `z` is
 * one object that holds all of zod, its 60-odd locales included, so a bundler must keep all of it. Named exports let
 * the provider's bundle (scripts/bundleProvider.js) keep what is used: it went from 966 KB to 348 KB, and loading it
 * from 39 to 20 ms of CPU, in every provider process the engine starts.
 */
export { array, enum, literal, looseObject, number, object, string, union, unknown } from "zod";
export type { infer, ZodError, ZodType } from "zod";
