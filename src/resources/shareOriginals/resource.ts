import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "../../provider/providers";
import { withoutPromiseStacks } from "../common/promiseStacks";
import { RESOURCE_TYPES } from "../registry";
import type { OriginalSettings } from "../common/originals";

/**
 * The settings a share had before `KooDriveShareSettings` first changed it, registered by that class for
 * `onDelete: "restore"` (see `shareOriginals/handler.ts` for why it is a resource of its own).
 */
export class ShareOriginals extends pulumi.dynamic.Resource {
  /** Access code, message and expiry found on the share (secret). */
  declare readonly originals: pulumi.Output<OriginalSettings>;

  constructor(name: string, args: { shareId: pulumi.Input<string>; userId?: pulumi.Input<string> }, opts: pulumi.CustomResourceOptions) {
    const { module, type } = RESOURCE_TYPES.shareOriginals;
    const restoreStacks = withoutPromiseStacks();
    try {
      super(
        providerFor("shareOriginals"),
        name,
        { shareId: args.shareId, userId: args.userId, originals: undefined },
        { ...opts, additionalSecretOutputs: ["originals"] },
        module,
        type,
      );
    } finally {
      restoreStacks();
    }
  }
}
