import { isUnknown } from "./unknownValue";

/**
 * Who owns a managed share. KooDrive app (HMAC) auth acts as any user through `X-User-Id`, and a share belongs to its
 * owner forever, so every resource that manages a share records the owner it acted as (`owner`, a state field that is
 * not an output) and keeps acting as it: a later change of `koodrive:userId` must not make refresh treat the share as
 * gone, nor make delete restore or cancel nothing.
 */
export interface OwnedState {
  /** The resource's own `userId` argument, when it declares one. */
  userId?: string;
  /** The user the resource last wrote or read the share as; absent in state from before owners were recorded. */
  owner?: string;
}

/**
 * The user a stored resource acts as: the recorded owner; for state from before owners were recorded, its declared
 * `userId`, else the configured user (all that such state can say).
 */
export function recordedOwner(state: OwnedState, configuredUser: string): string {
  return storedOwner(state) ?? configuredUser;
}

/**
 * Whether new inputs move the resource to another owner, which replaces it. A declared `userId` names the owner: it
 * replaces when it differs from the recorded one (declaring the owner the share already has only makes it explicit).
 * Removing a declared `userId` falls back to `koodrive:userId`, as the argument documents. A resource that never
 * declared one stays with its recorded owner whatever `koodrive:userId` says now: a configuration change alone never
 * replaces (see {@link ownerNotice}).
 */
export function ownerChanges(state: OwnedState, newUserId: unknown, configuredUser: string): boolean {
  if (isUnknown(newUserId)) return true;
  const owner = recordedOwner(state, configuredUser);
  if (typeof newUserId === "string" && newUserId !== "") return newUserId !== owner;
  if (state.userId !== undefined) return configuredUser !== owner;
  return false;
}

/**
 * The notice for a resource that keeps its recorded owner although `koodrive:userId` now names someone else; undefined
 * when there is nothing to say. User IDs are not secrets.
 */
export function ownerNotice(state: OwnedState, newUserId: unknown, configuredUser: string): string | undefined {
  if (newUserId !== undefined || state.userId !== undefined || state.owner === undefined || state.owner === configuredUser) return undefined;
  return (
    `stays managed as its owner, user ${state.owner}, although koodrive:userId is now ${configuredUser} ` +
    `(a share belongs to its owner for good). Declare userId: "${state.owner}" on the resource to make this explicit (no change to the share)`
  );
}

/**
 * The recorded owner of stored state of any version: `owner` when recorded, else (state from before it was) the
 * declared `userId`, else undefined: unknown, so the resource acts as the configured user, as before, until its next
 * write or refresh records who it acted as.
 */
export function storedOwner(props: { owner?: unknown; userId?: unknown }): string | undefined {
  if (typeof props.owner === "string" && props.owner !== "") return props.owner;
  return typeof props.userId === "string" && props.userId !== "" ? props.userId : undefined;
}
