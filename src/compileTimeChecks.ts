import type * as pulumi from "@pulumi/pulumi";

/** `true` when A and B are the same type (used as `const check: Same<A, B> = true`, which fails to compile otherwise). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Output properties a resource class declares (all but `urn` and `id`). */
export type DeclaredOutputs<T> = Exclude<{ [K in keyof T]: T[K] extends pulumi.Output<unknown> ? K : never }[keyof T], "urn" | "id">;
