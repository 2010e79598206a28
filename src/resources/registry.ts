/**
 * Every resource type this package registers, in one place. A type token is part of each resource's URN:
 * changing one replaces every resource of that type in every user's stack, so tokens are pinned by a test and a
 * rename must go through `aliases` (see the README, "Renaming").
 */
export const RESOURCE_TYPES = {
  shareSettings: { module: "koodrive", type: "ShareSettings" },
  shareOriginals: { module: "koodrive", type: "ShareOriginals" },
  share: { module: "koodrive", type: "Share" },
} as const;

/** A resource kind; also the key the serialized provider passes to the implementation. */
export type ResourceKind = keyof typeof RESOURCE_TYPES;

/** The full Pulumi type token of a dynamic resource kind, as it appears in URNs and state. */
export function typeToken(kind: ResourceKind): string {
  const { module, type } = RESOURCE_TYPES[kind];
  return `pulumi-nodejs:dynamic/${module}:${type}`;
}
