/**
 * The implementation behind every serialized provider shim, loaded as `pulumi-koodrive/provider-impl` inside the
 * provider process. None of it is captured into state. Internal: published bundled (scripts/bundleProvider.js), so a
 * process that also loads `pulumi-koodrive` has two copies of every class and module state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigurationError } from "../client/configurationError";
import { KooDriveError } from "../client/koodriveError";
import { shareHandler } from "../resources/share/handler";
import { shareOriginalsHandler } from "../resources/shareOriginals/handler";
import { shareSettingsHandler } from "../resources/shareSettings/handler";
import { RESOURCE_TYPES, type ResourceKind } from "../resources/registry";
import { KOODRIVE_CLOCK_AHEAD, ProviderContext, rememberAccessCodes } from "./context";
import { exitWhenEngineGone } from "./engineWatch";
import { type Props, type ResourceHandler, unreadableStateProblem } from "./handler";
import { UNKNOWN_VALUE } from "../resources/common/unknownValue";
import { PROVIDER_METHODS, type ProviderMethod } from "./methods";
import type { MethodGroup } from "./shim";

// In the provider process the engine starts (its command line names the SDK's dynamic-provider host), and nowhere
// else: end it when the engine dies, instead of letting it send what is queued and idle forever.
if (/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider([\\/]|$)/.test(process.argv[1] ?? "")) exitWhenEngineGone();

const HANDLERS: { readonly [K in ResourceKind]: ResourceHandler } = {
  shareSettings: shareSettingsHandler,
  shareOriginals: shareOriginalsHandler,
  share: shareHandler,
};

/** The deserialized provider instance: the engine configures it once per process; its context lives on it. */
interface ProviderInstance {
  koodriveContext?: ProviderContext;
}

function contextOf(instance: ProviderInstance): ProviderContext {
  // Without a configure call (never the case with a supported engine) settings come from the environment alone.
  instance.koodriveContext ??= new ProviderContext(() => undefined);
  return instance.koodriveContext;
}

/**
 * Receives the stack configuration (plaintext, secrets included). Connection settings are resolved here, so missing
 * or malformed ones fail `pulumi preview` once, before any resource is looked at.
 */
function configureInstance(instance: ProviderInstance, req: pulumi.dynamic.ConfigureRequest): void {
  const context = new ProviderContext((key) => req.config.get(key));
  instance.koodriveContext = context;
  context.validate();
}

/**
 * Which method the host called, from the group and the arguments' shapes (see `MethodGroup`): `first` is configure
 * (a request whose `config` has `get`), create (one plain object), check (two objects), read (an ID and props) or diff
 * (an ID and two objects); `second` is delete (an ID and props) or update (an ID and two objects).
 */
export function methodOf(group: MethodGroup, args: readonly unknown[]): ProviderMethod {
  const byId = typeof args[0] === "string";
  if (group === "second") return args.length >= 3 ? "update" : "delete";
  if (byId) return args.length >= 3 ? "diff" : "read";
  if (args.length >= 2) return "check";
  const config = (args[0] as { config?: { get?: unknown } } | undefined)?.config;
  return typeof config?.get === "function" ? "configure" : "create";
}

/**
 * The entry point of the serialized shims: `runGroup(this, kind, group, args)`. Not `run`, the name 0.2.0 has: its
 * `run` takes a method name, finds none in a group and answers every call with nothing, which the engine takes for
 * success (a destroy that restored and cancelled nothing, and emptied the state). Rolled back to 0.2.0, what runs the
 * provider text in state (refresh, destroy, the delete of a removed or replaced resource) fails instead for a resource
 * whose state this version wrote, before anything is sent.
 */
export function runGroup(instance: ProviderInstance, kind: ResourceKind, group: MethodGroup, args: unknown[]): Promise<unknown> {
  return runMethod(instance, kind, methodOf(group, args), args);
}

/**
 * The entry point of the shims that earlier versions stored, which refresh and destroy run until an `up` stores the
 * current one (see `withProviderUpgrade`): 0.2.0's `run(this, kind, method, ...args)`, one function per method, and
 * the next builds' `run(this, kind, group, args)`. Read as the latter, 0.2.0's calls went to the wrong methods: a
 * refresh dropped `-originals` companions from state, and with them the originals their destroy restores.
 */
export function run(instance: ProviderInstance, kind: ResourceKind, methodOrGroup: string, ...rest: unknown[]): Promise<unknown> {
  if (methodOrGroup === "first" || methodOrGroup === "second") return runGroup(instance, kind, methodOrGroup, rest[0] as unknown[]);
  const method = PROVIDER_METHODS.find((m) => m === methodOrGroup);
  if (method !== undefined) return runMethod(instance, kind, method, rest);
  return Promise.reject(new Error(`pulumi-koodrive: unknown provider method "${methodOrGroup}" in state (written by a newer package version?)`));
}

/** A method call with its errors shaped for the engine, for the shims and 0.1.0's entry points alike. */
async function runMethod(instance: ProviderInstance, kind: ResourceKind, method: ProviderMethod, args: unknown[]): Promise<unknown> {
  try {
    return await dispatch(instance, kind, method, args);
  } catch (e) {
    const error = e instanceof ConfigurationError ? listedOnce(contextOf(instance), e) : e;
    if (error instanceof Error) shownWithTheResource(error, method);
    throw error;
  }
}

/**
 * The SDK's host prints `${error}: ${error.stack}` to the provider's stderr for check, diff, read and delete (the
 * engine shows it under the stack), and the engine shows the error's message with the resource too: the same text
 * twice, the first ending in a stray colon or in frames that point into the package's internals. Our messages say
 * what to fix, once, with the resource; the printed line only points there.
 */
function shownWithTheResource(error: Error, method: ProviderMethod): void {
  // A bug (a TypeError, say) keeps its name and frames: they are what a bug report needs.
  const ours = error instanceof KooDriveError || error instanceof ConfigurationError || error.constructor === Error;
  if (!ours || !PRINTED_BY_THE_HOST.has(method)) return;
  Object.defineProperty(error, "toString", { value: () => "pulumi-koodrive", configurable: true, writable: true });
  error.stack = `${method} failed; the error is shown with the resource`;
}

/** The methods whose errors the SDK's host prints (configure runs inside the first of them a process gets). */
const PRINTED_BY_THE_HOST: ReadonlySet<ProviderMethod> = new Set(["configure", "check", "diff", "read", "delete"]);

/**
 * A configuration error as this provider instance reports it: with its list of problems the first time, in one line
 * after that. A refresh reads every resource at once, and each read fails on the same settings.
 */
function listedOnce(ctx: ProviderContext, error: ConfigurationError): ConfigurationError {
  if (ctx.configurationReported) return error.repeated();
  ctx.configurationReported = true;
  return error.forStack();
}

async function dispatch(instance: ProviderInstance, kind: ResourceKind, method: ProviderMethod, args: unknown[]): Promise<unknown> {
  if (method === "configure") return configureInstance(instance, args[0] as pulumi.dynamic.ConfigureRequest);
  const handler = HANDLERS[kind];
  if (handler === undefined) throw new Error(`pulumi-koodrive: unknown resource kind "${kind}" (state written by a newer package version?)`);
  const ctx = contextOf(instance);
  rememberAccessCodes(args);
  // diff, read, update and delete get the stored outputs second (diff's and update's olds; read's and delete's props).
  if (method !== "check" && method !== "create") {
    const problem = unreadableStateProblem(`${RESOURCE_TYPES[kind].module}:${RESOURCE_TYPES[kind].type}`, handler.stateVersion, (args[1] ?? {}) as Props);
    if (problem !== undefined) throw new Error(problem);
  }
  switch (method) {
    case "check":
      return handler.check(ctx, args[0] as Props, args[1] as Props);
    case "diff":
      return withProviderUpgrade(await handler.diff(ctx, args[0] as string, args[1] as Props, args[2] as Props), args[1] as Props, args[2] as Props);
    case "create": {
      const created = await handler.create(ctx, args[0] as Props);
      return { ...created, outs: withKooDriveClock(kind, ctx, created.outs) };
    }
    case "read": {
      const read = await handler.read(ctx, args[0] as string, (args[1] ?? {}) as Props);
      return read.props === undefined ? read : { ...read, props: withKooDriveClock(kind, ctx, read.props) };
    }
    case "update": {
      const updated = await handler.update(ctx, args[0] as string, args[1] as Props, args[2] as Props);
      return { ...updated, outs: withKooDriveClock(kind, ctx, updated.outs) };
    }
    case "delete":
      return handler.delete(ctx, args[0] as string, args[1] as Props);
  }
}

/** Resource kinds whose state holds KooDrive's times (expiry), compared with now on KooDrive's clock. */
const TIMED_KINDS: ReadonlySet<ResourceKind> = new Set(["share", "shareSettings"]);

/**
 * Outputs with what this process learned about KooDrive's clock (see `ProviderContext.now`): recorded when beyond the
 * clock tolerance, removed when within it, kept as they are when this process sent nothing.
 */
function withKooDriveClock(kind: ResourceKind, ctx: ProviderContext, outs: Props | undefined): Props | undefined {
  const ahead = ctx.clockToRecord();
  if (outs === undefined || !TIMED_KINDS.has(kind) || ahead === undefined) return outs;
  const { [KOODRIVE_CLOCK_AHEAD]: _previous, ...rest } = outs;
  return ahead === null ? rest : { ...rest, [KOODRIVE_CLOCK_AHEAD]: ahead };
}

/**
 * A resource whose stored provider text differs from the current one gets a state-only update (no request) that
 * stores the current text: refresh and destroy run the provider stored in state, so without it they would keep
 * running the shim of the package version that last updated the resource.
 */
function withProviderUpgrade(result: pulumi.dynamic.DiffResult, olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const stored = olds.__provider;
  const current = news.__provider;
  const upgraded = typeof stored === "string" && typeof current === "string" && current !== UNKNOWN_VALUE && stored !== current;
  return upgraded && !result.changes ? { ...result, changes: true } : result;
}

/**
 * The entry points 0.1.0's serialized provider calls by name, without the provider instance. Its text stays in the
 * state of resources no `up` has touched since the upgrade, and refresh and destroy run it, so they must keep working.
 */
const legacyInstance: ProviderInstance = {};
export const configure = (req: pulumi.dynamic.ConfigureRequest) => runMethod(legacyInstance, "shareSettings", "configure", [req]);
export const check = (olds: Props, news: Props) => runMethod(legacyInstance, "shareSettings", "check", [olds, news]);
export const diff = (id: string, olds: Props, news: Props) => runMethod(legacyInstance, "shareSettings", "diff", [id, olds, news]);
export const create = (inputs: Props) => runMethod(legacyInstance, "shareSettings", "create", [inputs]);
export const read = (id: string, props: Props) => runMethod(legacyInstance, "shareSettings", "read", [id, props]);
export const update = (id: string, olds: Props, news: Props) => runMethod(legacyInstance, "shareSettings", "update", [id, olds, news]);
export const remove = (id: string, props: Props) => runMethod(legacyInstance, "shareSettings", "delete", [id, props]);
