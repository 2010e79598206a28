import { createHash } from "node:crypto";
import type { KooDriveClientEventListener } from "./clientEvents";
import type { ConnectionSettings } from "./connectionSettings";
import { AccessCodes } from "./redact";
import { type ClientOptions, KooDriveClient, type SharedEndpoint, budgetLimits, newSharedEndpoint } from "./koodriveClient";

/** Options of a {@link KooDriveClientFactory}. */
export interface ClientFactoryOptions {
  /** Told about every client's retries and long waits (the provider prints them); messages hold no secret. */
  onEvent?: KooDriveClientEventListener;
  /** Told when a request any client reported waiting has been sent (see `ClientOptions.onLongWaitOver`). */
  onLongWaitOver?: (waitedMs: number) => void;
  /** Passed to every client; for tests (clock, sleep, retry policy). */
  clientOptions?: Omit<ClientOptions, "sharedEndpoint" | "onEvent" | "onLongWaitOver" | "accessCodes">;
  /** Access codes never to print (see `ClientOptions.accessCodes`), shared by every client. Default: the factory's own. */
  accessCodes?: AccessCodes;
}

/**
 * Clients for one process (one per provider process). Each distinct set of connection settings gets one cached
 * client, with its own keep-alive agents and credential gate; all clients of one endpoint share one adaptive
 * request budget and one learned server clock, because KooDrive throttles and dates requests per caller, not per
 * resource.
 */
export class KooDriveClientFactory {
  private readonly clients = new Map<string, KooDriveClient>();
  private readonly endpoints = new Map<string, SharedEndpoint>();
  /** Each endpoint's origin, parsed once (the clock offset is looked up for every resource a refresh reads). */
  private readonly origins = new Map<string, string>();

  /** What no client of this factory prints: an access code one of them handled is another's secret too. */
  private readonly accessCodes: AccessCodes;

  constructor(private readonly options: ClientFactoryOptions = {}) {
    this.accessCodes = options.accessCodes ?? new AccessCodes();
  }

  /** The client for `settings`, created on first use. */
  clientFor(settings: ConnectionSettings): KooDriveClient {
    // Hashed so the map keys do not hold the credentials a second time.
    const key = createHash("sha256").update(canonicalJson(settings)).digest("hex");
    let client = this.clients.get(key);
    if (client === undefined) {
      const { onEvent, onLongWaitOver } = this.options;
      const accessCodes = this.accessCodes;
      client = new KooDriveClient(settings, {
        ...this.options.clientOptions,
        onEvent,
        onLongWaitOver,
        accessCodes,
        sharedEndpoint: this.endpointFor(settings),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** How far KooDrive's clock at `endpoint` is ahead of the local one (see `ServerClock.likelyOffsetMs`); undefined before any answer. */
  serverClockOffsetMs(endpoint: string): number | undefined {
    return this.endpoints.get(this.originOf(endpoint))?.serverClock.likelyOffsetMs();
  }

  private endpointFor(settings: ConnectionSettings): SharedEndpoint {
    const origin = this.originOf(settings.endpoint);
    const existing = this.endpoints.get(origin);
    if (existing !== undefined) {
      existing.budget.tighten(budgetLimits(settings));
      return existing;
    }
    const created = newSharedEndpoint(settings, this.options.clientOptions?.now);
    this.endpoints.set(origin, created);
    return created;
  }

  private originOf(endpoint: string): string {
    const known = this.origins.get(endpoint);
    if (known !== undefined) return known;
    const origin = new URL(endpoint).origin;
    this.origins.set(endpoint, origin);
    return origin;
  }
}

/** JSON with object keys sorted, so equal settings give equal keys whatever order they were built in. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
