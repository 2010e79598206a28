import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "./context";

/** Resource state and inputs as the engine passes them: plain JSON objects. */
export type Props = Record<string, unknown>;

/**
 * One resource kind's provider methods. Each receives the provider instance's context; the serialized shim
 * supplies it, so handlers hold no configuration of their own.
 */
export interface ResourceHandler {
  /**
   * The newest state layout (`stateVersion` in the outputs) this version's upgrader reads; older layouts are upgraded
   * on read. A newer one is refused before the handler runs (see {@link unreadableStateProblem}).
   */
  readonly stateVersion: number;
  check(ctx: ProviderContext, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(ctx: ProviderContext, inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(ctx: ProviderContext, id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  delete(ctx: ProviderContext, id: string, props: Props): Promise<void>;
}

/**
 * Why stored outputs cannot be read by a handler that reads layouts up to `readable`, or undefined when they can: a
 * layout written by a newer package version (installed before, then rolled back) may mean something else in every
 * field, and guessing would act on the share (a destroy restoring the wrong settings). So, as Terraform does for state
 * written by a newer provider, the operation fails before anything is sent. Layout 1 had no `stateVersion`; a value no
 * version writes (edited by hand) is refused for the same reason.
 */
export function unreadableStateProblem(typeName: string, readable: number, stored: Props): string | undefined {
  const version = stored.stateVersion;
  const isLayout = typeof version === "number" && Number.isInteger(version) && version >= 1;
  if (version === undefined || (isLayout && version <= readable)) return undefined;
  if (!isLayout) {
    return (
      `pulumi-koodrive: this ${typeName} has the state version ${JSON.stringify(version)}, which no pulumi-koodrive writes ` +
      `(this one reads versions 1 to ${readable}): the state was edited by hand or damaged, and acting on a guess could, ` +
      `for example, restore the wrong settings at destroy. Put back the state from before (README: "Reading an earlier ` +
      `state"). Nothing was sent to KooDrive.`
    );
  }
  return (
    `pulumi-koodrive: this ${typeName} has state version ${version}, written by a newer pulumi-koodrive than the one installed, ` +
    `which reads state versions up to ${readable}. Install that newer version again (refresh and destroy run the ` +
    `package installed in the project, whichever version last wrote the state; README: "What is stored"): an older ` +
    `one could misread the state and, for example, restore the wrong settings at destroy. Nothing was sent to KooDrive.`
  );
}

/**
 * A check's answer: the normalised inputs, or, when any property failed, the inputs as given with every failure (the
 * engine shows each, naming its property).
 */
export function checkResult(news: Props, checked: { inputs: Props; failures: pulumi.dynamic.CheckFailure[] }): pulumi.dynamic.CheckResult {
  return checked.failures.length > 0 ? { inputs: news, failures: checked.failures } : { inputs: checked.inputs };
}
