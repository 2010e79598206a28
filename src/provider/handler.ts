import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "./context";

/** Resource state and inputs as the engine passes them: plain JSON objects. */
export type Props = Record<string, unknown>;

/**
 * One resource kind's provider methods. Each receives the provider instance's context; the serialized shim
 * supplies it, so handlers hold no configuration of their own.
 */
export interface ResourceHandler {
  check(ctx: ProviderContext, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(ctx: ProviderContext, inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(ctx: ProviderContext, id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  delete(ctx: ProviderContext, id: string, props: Props): Promise<void>;
}

/** Plain JSON for the engine: Pulumi's struct encoder rejects `undefined`. */
export function plain(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

/**
 * A check's answer: the normalised inputs, or, when any property failed, the inputs as given with every failure (the
 * engine shows each, naming its property).
 */
export function checkResult(news: Props, checked: { inputs: Props; failures: pulumi.dynamic.CheckFailure[] }): pulumi.dynamic.CheckResult {
  return checked.failures.length > 0 ? { inputs: news, failures: checked.failures } : { inputs: checked.inputs };
}
