import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTING_SOURCES, type SettingName, isSecretSetting, isSet } from "../../client/connectionSettings";

/**
 * Checks that run in the program (at preview, before anything reaches the provider): what only the program can see,
 * such as argument names it would otherwise drop, or two resources claiming one share.
 */

/**
 * A mistake in the program, said as itself: the SDK prints a `RunError`'s message alone, where any other error thrown
 * by the program comes as "Unhandled exception" with a stack trace into this package.
 */
export function programError(message: string): Error {
  return new pulumi.RunError(message);
}

/** Fails on an argument name the resource does not know (e.g. `extractcode`), instead of dropping it silently. */
export function rejectUnknownArgs(typeName: string, resourceName: string, args: object, known: readonly string[]): void {
  const unknown = Object.keys(args).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw programError(
      `${typeName} "${resourceName}": unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (known: ${known.join(", ")})`,
    );
  }
}

/**
 * The `import` option cannot work for dynamic resources (pulumi/pulumi#16175): say so instead of a gRPC stack trace,
 * with `instead`, the resource's own way to the same end.
 */
export function rejectImportOption(typeName: string, resourceName: string, opts: pulumi.CustomResourceOptions | undefined, instead: string): void {
  if (opts?.import !== undefined) {
    throw programError(
      `${typeName} "${resourceName}": the \`import\` resource option is not supported (Pulumi cannot import dynamic-provider resources, pulumi/pulumi#16175). ` +
        `Remove it: ${instead}.`,
    );
  }
}

/**
 * `replaceOnChanges` would do nothing: the engine replaces on a listed input only when the provider's diff names the
 * changed inputs, and the SDK's dynamic-provider host sends no names (only "changed" and the inputs that force a
 * replacement). An option that silently does nothing is refused, with the way that works.
 */
export function rejectReplaceOnChanges(typeName: string, resourceName: string, opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.replaceOnChanges !== undefined && opts.replaceOnChanges.length > 0) {
    throw programError(
      `${typeName} "${resourceName}": the \`replaceOnChanges\` resource option has no effect on this resource (Pulumi's dynamic providers cannot tell the engine which inputs changed, so a listed one never triggers a replacement). ` +
        "Remove it; to replace the resource, run `pulumi up --replace <its URN>`.",
    );
  }
}

/**
 * Fails on an argument given as an Output, a secret or a promise where the program itself must act on its value
 * (`why`): otherwise the program would act on the wrapper, and `check` would later refuse the value for a reason that
 * is not the user's mistake.
 */
export function requirePlainArg(typeName: string, resourceName: string, arg: string, value: unknown, why: string): void {
  const wrapped = pulumi.Output.isInstance(value) || (typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function");
  if (wrapped) throw programError(`${typeName} "${resourceName}": ${arg} must be a plain value, not an Output, a secret or a promise: ${why}`);
}

/**
 * The checks a resource class users declare runs first: argument names, a TypeScript Pulumi can serialize the provider
 * with, the `import` option (`importInstead`: the resource's own way to the same end) and `replaceOnChanges`, and the
 * run's `koodrive:*` stack config.
 */
export function checkDeclaration(
  typeName: string,
  resourceName: string,
  args: object,
  knownArgs: readonly string[],
  opts: pulumi.CustomResourceOptions | undefined,
  importInstead: string,
): void {
  rejectUnknownArgs(typeName, resourceName, args, knownArgs);
  requireTypeScriptCompilerApi();
  warnAboutStackConfig();
  rejectImportOption(typeName, resourceName, opts, importInstead);
  rejectReplaceOnChanges(typeName, resourceName, opts);
}

/**
 * Pulumi stores a dynamic resource's provider as source text, which its SDK analyses with the TypeScript compiler API
 * of the `typescript` package it finds beside it (its own TypeScript 3.8 only when none is installed). TypeScript 7
 * has no compiler API: without this check, every resource would fail with "Cannot read properties of undefined
 * (reading 'Latest')". yarn and bun install TypeScript 7 for an unversioned `add` (the SDK's peer range ends below 7),
 * and npm adds it on request with a warning. A program `pulumi` runs with the default `typescript: true` never gets
 * here, JavaScript included: Pulumi's ts-node fails on TypeScript 7 first. Programs run with `typescript: false` and
 * Automation API programs do.
 */
function requireTypeScriptCompilerApi(): void {
  if (compilerApiFound) return;
  let shim: string;
  try {
    shim = require.resolve("@pulumi/pulumi/typescript-shim");
  } catch {
    return; // an SDK that loads TypeScript some other way: it is its own judge
  }
  const problem = compilerApiProblem(require(shim), typeScriptFolder(shim));
  if (problem !== undefined) throw programError(problem);
  compilerApiFound = true;
}

/** Set once the compiler API was found: the SDK loaded its TypeScript once, so the answer holds for the process. */
let compilerApiFound = false;

/** What is wrong with `ts`, the module Pulumi's closure serializer loaded (from `folder`), if anything. */
export function compilerApiProblem(ts: unknown, folder: string | undefined): string | undefined {
  const loaded = ts as { createSourceFile?: unknown; version?: unknown } | null | undefined;
  if (typeof loaded?.createSourceFile === "function") return undefined;
  const version = typeof loaded?.version === "string" ? loaded.version : undefined;
  const which = `${version === undefined ? "a TypeScript without a version" : `TypeScript ${version}`}${folder === undefined ? "" : ` (${folder})`}`;
  const why = version !== undefined && Number.parseInt(version, 10) >= 7 ? " (TypeScript 7 dropped it)" : "";
  return (
    `Pulumi cannot store this program's KooDrive resources: it reads their provider's code with the TypeScript compiler API, and the "typescript" package it loads, ${which}, has none${why}. ` +
    'Make "typescript" TypeScript 5 or 6 (typescript@~5.9.3), or, for a JavaScript program, remove it so that Pulumi uses its own copy; ' +
    'a build that needs TypeScript 7 can install it under another name ("typescript7": "npm:typescript@7.0.2").'
  );
}

/** The folder of the `typescript` package the SDK's shim at `shim` resolves, if it resolves one. */
function typeScriptFolder(shim: string): string | undefined {
  try {
    return path.dirname(createRequire(shim).resolve("typescript/package.json"));
  } catch {
    return undefined;
  }
}

/** This program run (an inline Automation API program can run many times in one process): its stack resource. */
const runWithoutStack = {};
function thisRun(): object {
  return (pulumi.runtime.getStackResource() as object | undefined) ?? runWithoutStack;
}

/** The runs that have had their stack config looked at by {@link warnAboutStackConfig}. */
const configCheckedRuns = new WeakSet<object>();

/**
 * Warns, once per program run, about `koodrive:*` stack config the user would want to know about: each key the
 * package does not read (a misspelt `koodrive:maxretries` would otherwise leave the default in force without a word),
 * and each credential set without `--secret` (the engine stores the stack config in state at each `up`, so it is
 * there in plaintext).
 */
export function warnAboutStackConfig(): void {
  const run = thisRun();
  if (configCheckedRuns.has(run)) return;
  configCheckedRuns.add(run);
  const config = pulumi.runtime.allConfig();
  const known = Object.values(SETTING_SOURCES).map((source) => source.config as string);
  // A project named "koodrive" keeps its own config in the same namespace: its keys are not typos.
  const namespaceShared = projectName() === "koodrive";
  for (const key of Object.keys(config)) {
    if (namespaceShared || !key.startsWith("koodrive:") || known.includes(key)) continue;
    const meant = known.find((k) => k.toLowerCase() === key.toLowerCase());
    void pulumi.log.warn(
      `stack config ${key} is not a pulumi-koodrive setting and is ignored${meant === undefined ? "" : ` (did you mean ${meant}?)`}; the settings are listed in the README's Configuration section`,
    );
  }
  warnAboutOverriddenCredentials(config, process.env);
  // Not in the SDK's type declarations, though exported since long before the oldest version this package supports.
  const isConfigSecret = (pulumi.runtime as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (typeof isConfigSecret !== "function") return;
  const proxy = config[SETTING_SOURCES.proxy.config];
  // The secret settings, and the proxy when its URL carries a password.
  const secrets = (Object.keys(SETTING_SOURCES) as SettingName[]).filter(
    (name) => isSecretSetting(name) || (name === "proxy" && proxy !== undefined && hasPassword(proxy)),
  );
  for (const name of secrets) {
    const { config: key, env } = SETTING_SOURCES[name];
    if (!isSet(config[key]) || isConfigSecret(key)) continue;
    void pulumi.log.warn(
      `stack config ${key} is not a secret, so the engine stores it in the stack's state in plaintext: set it again with \`pulumi config set --secret ${key} ...\`, or use the environment variable ${env}`,
    );
  }
}

/**
 * Credentials come from the environment as a group (see `connectionSettings.ts`): with app credentials in the
 * environment a token in stack config is not used, and the other way round. Legitimate when rotating, so only a
 * different kind of credential is told, since that is what surprises.
 */
function warnAboutOverriddenCredentials(config: Record<string, string>, env: NodeJS.ProcessEnv): void {
  const inConfig = (name: SettingName) => isSet(config[SETTING_SOURCES[name].config]);
  const inEnv = (name: SettingName) => isSet(env[SETTING_SOURCES[name].env]);
  const token = { config: inConfig("accessToken"), env: inEnv("accessToken") };
  const app = { config: inConfig("appId") || inConfig("appSecret"), env: inEnv("appId") || inEnv("appSecret") };
  const { accessToken, appId, appSecret } = SETTING_SOURCES;
  const unused =
    token.config && app.env && !token.env ? accessToken.config : app.config && token.env && !app.env ? `${appId.config}/${appSecret.config}` : undefined;
  if (unused === undefined) return;
  void pulumi.log.warn(
    `stack config ${unused} is not used: KooDrive credentials of the other kind are set in the environment (KOODRIVE_*), and credentials come from the environment as a group when it holds any; remove one or the other`,
  );
}

function projectName(): string | undefined {
  try {
    return pulumi.getProject();
  } catch {
    return undefined; // not in a Pulumi program (a lookup called from a script)
  }
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url.trim()).password !== "";
  } catch {
    return false;
  }
}

/**
 * One resource's claims: made once per constructor call, so two resources of one name (under different parents)
 * differ. Without a stack resource (unit tests with Pulumi's mocks, where every test case is one "run"), by name and
 * parent: a test case may declare a resource an earlier one declared.
 */
export interface Claimant {
  /** How messages name it: `KooDriveShareSettings "report"`. */
  readonly label: string;
  /** Its `parent` option. */
  readonly parent?: pulumi.Resource;
}

/** One map of claimed shares per program run. */
const claimsByRun = new WeakMap<object, Map<string, Claimant>>();

function claimsOfThisRun(): Map<string, Claimant> {
  const run = thisRun();
  let claims = claimsByRun.get(run);
  if (claims === undefined) {
    claims = new Map();
    claimsByRun.set(run, claims);
  }
  return claims;
}

/**
 * Records that `claimant` manages share `shareId`, failing when another resource of the program already does: two
 * resources applying different settings to one share would flip it on every `up`. An ID known only later (an Output)
 * is claimed when known, and a conflict then is reported on `resource`, when given.
 */
export function claimShare(shareId: pulumi.Input<string>, claimant: Claimant, resource?: pulumi.Resource): void {
  const run = thisRun();
  const claims = claimsOfThisRun();
  const claim = (id: string) => {
    const holder = claims.get(id);
    const sameDeclaration = holder !== undefined && holder.label === claimant.label && holder.parent === claimant.parent;
    if (holder !== undefined && holder !== claimant && !(sameDeclaration && run === runWithoutStack)) {
      const both =
        holder.label !== claimant.label
          ? `two resources, ${holder.label} and ${claimant.label}`
          : `two resources named ${claimant.label}${sameDeclaration ? "" : " (under different parents)"}`;
      throw programError(`share ${id} is managed by ${both}: each would undo the other's settings. Declare it once.`);
    }
    claims.set(id, claimant);
  };
  if (typeof shareId === "string") {
    claim(shareId);
    return;
  }
  // Known only later: an error thrown inside `apply` would reach no caller, so it is reported as an error diagnostic,
  // which fails the preview or update just the same. (Not by failing the resource's input: under the Automation API's
  // inline mode the program would then wait forever for that resource's outputs.)
  pulumi.output(shareId).apply((id) => {
    try {
      if (typeof id === "string") claim(id);
    } catch (e) {
      void pulumi.log.error((e as Error).message, resource);
    }
  });
}
