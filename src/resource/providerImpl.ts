/**
 * The implementation behind the serialized provider. Loaded with `require("pulumi-koodrive/provider-impl")` inside
 * each provider method, so it runs from the installed package, never from state, and none of it (schemas, client,
 * credentials) is captured into the closure Pulumi stores.
 */
import type * as pulumi from "@pulumi/pulumi";
import { KooDriveClientFactory } from "../client/clientFactory";
import { ConfigurationError } from "../client/configurationError";
import { ConfigLookup, resolveConnectionSettings } from "../client/connectionSettings";
import { KooDriveClient, UpdateShareBody } from "../client/koodriveClient";
import { KooDriveError } from "../client/koodriveError";
import { ShareLink } from "../client/responses";
import { OriginalSettings, restoreBody } from "./restore";
import { diffShareSettings, managedFields, needsPut } from "./shareDiff";
import { checkShareInputs } from "./shareInputs";

type Props = Record<string, unknown>;

/** Share fields copied from the API into outputs. Counters arrive normalised to numbers. */
const API_OUTPUT_FIELDS = [
  "shortUrl", "linkUrl", "expireTime", "shareTime", "updateTime", "status", "scope",
  "displayName", "ownerId", "containerId", "viewCnt", "downloadCnt", "saveCnt",
] as const;

let stackConfig: ConfigLookup = () => undefined;

/**
 * One per provider process: all resources' requests share its per-endpoint request budget and server clock, and
 * one credential rejection stops the requests of every resource. Retries and long waits go to stderr, which the
 * engine shows in its output (attributed to the stack, hence the shareId in each message).
 */
const clients = new KooDriveClientFactory({ onEvent: (event) => console.error(event.message) });

/**
 * Receives the stack configuration (plaintext, secrets included) once per provider process, and checks the
 * connection settings then, so missing or malformed ones fail `pulumi preview` once, before any resource is sent.
 */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  stackConfig = (key) => req.config.get(key);
  try {
    resolveConnectionSettings(stackConfig, process.env);
  } catch (e) {
    // Configure runs inside the SDK's `check` handler, which prints `${error}: ${error.stack}`: with the trace left
    // in, the problem list would be printed twice, followed by frames that say nothing about the stack config.
    if (e instanceof ConfigurationError) e.stack = "";
    throw e;
  }
}

/** Replaces the stack-config source; for tests that call the methods directly. */
export function setConfigLookup(lookup: ConfigLookup): void {
  stackConfig = lookup;
}

function client(): KooDriveClient {
  return clients.clientFor(resolveConnectionSettings(stackConfig, process.env));
}

/** Pulumi `check`: one failure per bad property, before any API call. */
export async function check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const { inputs, failures } = checkShareInputs(news);
  return failures.length > 0 ? { inputs: news, failures } : { inputs };
}

/** Pulumi `diff`: see {@link diffShareSettings}. */
export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const result = diffShareSettings(olds, news);
  return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false };
}

/** Plain JSON outputs: Pulumi's struct encoder rejects `undefined`. */
function plain(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

function outputsFrom(inputs: Props, share: ShareLink, original: OriginalSettings | undefined): Props {
  const outs: Props = {
    shareId: inputs.shareId,
    validDays: inputs.validDays,
    onDelete: inputs.onDelete ?? "retain",
    extractCode: share.extractCode,
    comment: share.comment,
    managedFields: managedFields(inputs),
    originalSettings: original === undefined ? undefined : plain({ ...original }),
  };
  for (const field of API_OUTPUT_FIELDS) outs[field] = share[field];
  return plain(outs);
}

function putBody(inputs: Props): UpdateShareBody {
  const body: UpdateShareBody = { validDays: Number(inputs.validDays) };
  if (inputs.extractCode !== undefined) body.extractCode = String(inputs.extractCode);
  if (inputs.comment !== undefined) body.comment = String(inputs.comment);
  return body;
}

/** Pulumi `create`: adopts an existing share, remembering its settings, then applies the declared ones. */
export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const shareId = String(inputs.shareId);
  const api = client();
  let found: ShareLink;
  try {
    found = await api.getShare(shareId);
  } catch (e) {
    if (e instanceof KooDriveError && e.isNotFound) {
      throw new Error(`KooDrive share ${shareId} was not found, or is not owned by the configured user: a share must exist before its settings can be managed (nothing was changed)`);
    }
    throw e;
  }
  const original: OriginalSettings = plain({ extractCode: found.extractCode || undefined, comment: found.comment, expireTime: found.expireTime || undefined });
  const applied = await api.updateShare(shareId, putBody(inputs));
  return { id: shareId, outs: outputsFrom(inputs, applied, original) };
}

/** Pulumi `read` (refresh): current state from KooDrive; a share that is gone returns no id. */
export async function read(id: string, props: Props = {}): Promise<pulumi.dynamic.ReadResult> {
  let share: ShareLink;
  try {
    share = await client().getShare(id);
  } catch (e) {
    if (e instanceof KooDriveError && e.isNotFound) return {};
    throw e;
  }
  const managed = Array.isArray(props.managedFields) ? (props.managedFields as string[]) : [];
  // validDays is relative to the last PUT: the declared value stays, whatever expireTime says now.
  const inputs: Props = { shareId: id, validDays: props.validDays, onDelete: props.onDelete ?? "retain" };
  for (const field of managed) inputs[field] = share[field as keyof ShareLink] ?? "";
  const outs = outputsFrom(inputs, share, props.originalSettings as OriginalSettings | undefined);
  return { id, props: outs, inputs: plain(inputs) };
}

/** Pulumi `update`: one PUT when a setting changed; returns the full output set. */
export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const original = olds.originalSettings as OriginalSettings | undefined;
  if (!needsPut(olds, news)) {
    const kept: Props = { ...olds, onDelete: news.onDelete, managedFields: managedFields(news) };
    delete kept.__provider;
    return { outs: plain(kept) };
  }
  const applied = await client().updateShare(id, putBody(news));
  return { outs: outputsFrom(news, applied, original) };
}

/** Pulumi `delete`: `retain` leaves the share alone; `restore` puts the adopted settings back. */
export async function remove(id: string, props: Props): Promise<void> {
  if (props.onDelete !== "restore") return;
  const original = (props.originalSettings ?? {}) as OriginalSettings;
  try {
    await client().updateShare(id, restoreBody(original, new Date()));
  } catch (e) {
    if (e instanceof KooDriveError && e.isNotFound) return; // already gone: nothing to restore
    throw e;
  }
}
