import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "../../provider/providers";
import { RESOURCE_TYPES, type ResourceKind } from "../registry";
import type { ShareStatus } from "./linkState";

/** How a resource class registers. */
export interface Registration {
  kind: ResourceKind;
  /** Every output the class declares: each is seeded as a property, or the engine would not return it. */
  outputs: readonly string[];
  /**
   * Properties kept secret whatever the program passed: wrapped in inputs (so stored inputs hold ciphertext too, not
   * only outputs) and listed as secret outputs. Only those the resource has: each property costs the program an
   * Output of four promises.
   */
  secrets: readonly string[];
}

/**
 * The arguments of a resource class's `super(...)`: the kind's serialized provider, its type token (see
 * `registry.ts`), the declared outputs seeded, and the secrets kept secret. Called as
 * `super(...registrationOf(REGISTRATION, name, inputs, opts))` inside `withoutPromiseStacks` (see `promiseStacks.ts`).
 *
 * The `super` call stays in each class, not in a base constructor: the SDK records as the resource's source position
 * the frame a fixed depth below its own constructors, which a base constructor would make this file for every class.
 */
export function registrationOf(
  registration: Registration,
  name: string,
  inputs: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
): [pulumi.dynamic.ResourceProvider, string, Record<string, unknown>, pulumi.CustomResourceOptions, string, string] {
  const props: Record<string, unknown> = Object.fromEntries(registration.outputs.map((key) => [key, undefined]));
  Object.assign(props, inputs);
  for (const key of registration.secrets) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
  const secretOutputs = [...(opts.additionalSecretOutputs ?? []), ...registration.secrets];
  const { module, type } = RESOURCE_TYPES[registration.kind];
  return [providerFor(registration.kind), name, props, { ...opts, additionalSecretOutputs: secretOutputs }, module, type];
}

/**
 * The outputs of a share link that both `KooDriveShare` and `KooDriveShareSettings` manage. Declarations only: a
 * constructor here would move the resources' source position (see {@link registrationOf}); the implicit one leaves
 * no stack frame (V8 omits it), which test/engine/packedPackage.test.js checks on each supported SDK.
 */
export abstract class ShareLinkResource extends pulumi.dynamic.Resource {
  /** The share's ID (KooDrive's); also the resource ID. */
  declare readonly shareId: pulumi.Output<string>;
  /** The share owner, when the resource names one (else the configured `koodrive:userId`). */
  declare readonly userId: pulumi.Output<string | undefined>;
  /** Declared validity in days, counted from the last create or apply. */
  declare readonly validDays: pulumi.Output<number>;
  /** The share's access code (secret). */
  declare readonly extractCode: pulumi.Output<string | undefined>;
  /** The share's message. */
  declare readonly comment: pulumi.Output<string | undefined>;
  /** Renewal threshold in days, when declared. */
  declare readonly renewBeforeDays: pulumi.Output<number | undefined>;
  /** Absolute expiry (ISO-8601) after the last create, apply or refresh; absent when the link has no validity period. */
  declare readonly expireTime: pulumi.Output<string | undefined>;
  /** Link status after the last create, apply or refresh. */
  declare readonly status: pulumi.Output<ShareStatus | undefined>;
  /** Short code of the link. */
  declare readonly shortUrl: pulumi.Output<string | undefined>;
  /** The link. */
  declare readonly linkUrl: pulumi.Output<string | undefined>;
}
