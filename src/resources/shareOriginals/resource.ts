import * as pulumi from "@pulumi/pulumi";
import { type Registration, registrationOf } from "../common/koodriveResource";
import { withoutPromiseStacks } from "../common/promiseStacks";
import type { OriginalSettings } from "../common/originals";

const REGISTRATION: Registration<"originals"> = { kind: "shareOriginals", outputs: ["originals"], secrets: ["originals"] };

/**
 * The settings a share had before `KooDriveShareSettings` first changed it, registered by that class for
 * `onDelete: "restore"` (see `shareOriginals/handler.ts` for why it is a resource of its own).
 */
export class ShareOriginals extends pulumi.dynamic.Resource {
  /** Access code, message and expiry found on the share (secret). */
  declare readonly originals: pulumi.Output<OriginalSettings>;

  constructor(name: string, args: { shareId: pulumi.Input<string>; userId?: pulumi.Input<string> }, opts: pulumi.CustomResourceOptions) {
    const restoreStacks = withoutPromiseStacks();
    try {
      super(...registrationOf(REGISTRATION, name, { shareId: args.shareId, userId: args.userId }, opts));
    } finally {
      restoreStacks();
    }
  }
}
