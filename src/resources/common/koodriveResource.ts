import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "../../provider/providers";
import { RESOURCE_TYPES, type ResourceKind } from "../registry";
import type { ShareStatus } from "./linkState";

/** How a resource class registers; `Name` is the union of its output names. */
export interface Registration<Name extends string> {
  kind: ResourceKind;
  /** Every output the class declares: each is seeded as a property, or the engine would not return it. */
  outputs: readonly Name[];
  /**
   * Outputs kept secret whatever the program passed: listed as secret outputs, and wrapped in inputs when given (so
   * stored inputs hold ciphertext too, not only outputs).
   */
  secrets: readonly Name[];
}

/**
 * The arguments of a resource class's `super(...)`: the kind's serialized provider, its type token (see
 * `registry.ts`), the declared outputs seeded, and the secrets kept secret. Called as
 * `super(...registrationOf(REGISTRATION, name, inputs, opts))` inside `withoutPromiseStacks` (see `promiseStacks.ts`).
 *
 * The `super` call stays in each class, not in a base constructor: the SDK records as the resource's source position
 * the frame a fixed depth below its own constructors, which a base constructor would make this file for every class
 * (test/unit/registration.test.ts checks the position, with a debugger attached too).
 */
export function registrationOf<Name extends string>(
  registration: Registration<Name>,
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
 * The outputs of a share link that both `KooDriveShare` and `KooDriveShareSettings` manage, merged into each class
 * as an interface of the same name: types only. A base class would add a constructor frame whenever a debugger is
 * attached (V8 then keeps even an implicit one), which moves the resources' source position (see
 * {@link registrationOf}).
 */
export interface ShareLinkOutputs {
  /** The share's ID (KooDrive's); also the resource ID. */
  readonly shareId: pulumi.Output<string>;
  /** The declared `userId` (the share owner the resource acts as); absent when the resource declares none (then it is `koodrive:userId`). */
  readonly userId: pulumi.Output<string | undefined>;
  /** Declared validity in days, counted from the last create or apply (`KooDriveShareSettings`: 0 = no validity period). */
  readonly validDays: pulumi.Output<number>;
  /** The share's access code (secret). */
  readonly extractCode: pulumi.Output<string | undefined>;
  /** The share's message. */
  readonly comment: pulumi.Output<string | undefined>;
  /** Renewal threshold in days, when declared. */
  readonly renewBeforeDays: pulumi.Output<number | undefined>;
  /**
   * Absolute expiry after the last create, apply or refresh, ISO-8601 in UTC whatever form KooDrive wrote it in (as
   * written if in no form it documents); absent when KooDrive reports none.
   */
  readonly expireTime: pulumi.Output<string | undefined>;
  /** Link status after the last create, apply or refresh. */
  readonly status: pulumi.Output<ShareStatus | undefined>;
  /** Short code of the link. */
  readonly shortUrl: pulumi.Output<string | undefined>;
  /** The link. */
  readonly linkUrl: pulumi.Output<string | undefined>;
}
