import type * as pulumi from "@pulumi/pulumi";

/** `true` when A and B are the same type (used as `const check: Same<A, B> = true`, which fails to compile otherwise). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** T's named properties, without its index signatures. */
type NamedProperties<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/**
 * `true` when A and B name the same properties, each of the same type, whatever their index signatures. {@link Same}
 * alone misses an optional property one side lacks: each side is still assignable to the other.
 */
export type SameProperties<A, B> = Same<keyof NamedProperties<A>, keyof NamedProperties<B>> extends true ? Same<NamedProperties<A>, NamedProperties<B>> : false;

/** Output properties a resource class declares (all but `urn` and `id`). */
export type DeclaredOutputs<T> = Exclude<{ [K in keyof T]: T[K] extends pulumi.Output<unknown> ? K : never }[keyof T], "urn" | "id">;
