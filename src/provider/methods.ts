/**
 * The methods Pulumi's dynamic-provider host calls. A list as well as a type: the shims in 0.2.0's state name the
 * method they were called as (see `run` in impl.ts). Apart from shim.ts, whose text is serialized.
 */
export const PROVIDER_METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;
export type ProviderMethod = (typeof PROVIDER_METHODS)[number];
