import { ConfigurationError } from "../client/configurationError";
import {
  type ConfigLookup,
  type ConnectionSettings,
  type KooDriveEdition,
  SETTING_DEFAULTS,
  howToSet,
  resolveConnectionSettings,
  settingValue,
} from "../client/connectionSettings";
import { AccessCodes } from "../client/redact";
import type { KooDriveClientFactory } from "../client/clientFactory";
import type { KooDriveClient } from "../client/koodriveClient";
import type { LinkSettingsState } from "../resources/common/linkState";
import { CLOCK_TOLERANCE_MS } from "../time/koodriveTime";
import { EventPrinter } from "./eventPrinter";
import type { Props } from "./handler";
import { REFRESH_STRATEGIES, type RefreshStrategy, type ShareReader, shareReaderFor } from "./shareReader";

/** The state property that records how far KooDrive's clock is ahead of the local one, when that is beyond tolerance. */
export const KOODRIVE_CLOCK_AHEAD = "kooDriveClockAheadMs" satisfies keyof LinkSettingsState;

/** The offset of KooDrive's clock a resource's state recorded (see `KOODRIVE_CLOCK_AHEAD`), if any. */
function recordedClockAheadMs(recorded: Props | undefined): number | undefined {
  const stored = recorded?.[KOODRIVE_CLOCK_AHEAD];
  return typeof stored === "number" && Number.isFinite(stored) ? stored : undefined;
}

/**
 * Clients are shared by every provider instance in the process, whichever resource kind asks: one client (one
 * keep-alive agent, one credential gate) per connection settings, and one adaptive request budget and learned server
 * clock per endpoint, because KooDrive throttles and dates requests per caller, not per resource. Retries and long
 * waits go to stderr, which the engine shows in its output (long waits past the first few as a count: see
 * `EventPrinter`). (Configuration is not shared: it lives on each provider
 * instance's context.)
 */
let processClients: KooDriveClientFactory | undefined;

/**
 * The access codes this process's resources hold (stored, declared or original), which no client message may show:
 * KooDrive may echo a share's code in an error, also to a GET that did not send it. Kept apart from the factory so
 * that a preview, which sends nothing, does not load the HTTP stack to record them.
 */
const processAccessCodes = new AccessCodes();

/** Records the access codes in a provider method's arguments (see {@link processAccessCodes}). */
export function rememberAccessCodes(args: readonly unknown[]): void {
  for (const arg of args) {
    if (typeof arg !== "object" || arg === null) continue;
    const props = arg as { extractCode?: unknown; originals?: { extractCode?: unknown } };
    for (const code of [props.extractCode, props.originals?.extractCode]) if (typeof code === "string" && code !== "") processAccessCodes.add(code);
  }
}

/**
 * The factory is loaded on first use: preview (check and diff) sends no request, and a provider process that never
 * sends one should not pay for loading the HTTP stack (axios, proxy agents).
 */
function clients(): KooDriveClientFactory {
  if (processClients === undefined) {
    const { KooDriveClientFactory: Factory } = require("../client/clientFactory") as typeof import("../client/clientFactory");
    const printer = new EventPrinter((line) => console.error(line));
    // Waits counted since the last digest are told before the process ends (stderr is synchronous for pipes).
    process.once("exit", () => printer.flush());
    processClients = new Factory({ onEvent: (event) => printer.handle(event), onLongWaitOver: () => printer.waitOver(), accessCodes: processAccessCodes });
  }
  return processClients;
}

/**
 * What one deserialized provider instance knows in its process: the stack configuration the engine sent to
 * `configure`, the environment, and the clock. Every provider method receives it; nothing else holds configuration.
 */
export class ProviderContext {
  private settingsCache: ConnectionSettings | undefined;
  /** The client per share owner: a refresh asks once per resource, and the factory's lookup hashes the settings. */
  private readonly clientCache = new Map<string, KooDriveClient>();
  /** The notices this process has shown (see `notice`). */
  private readonly noticesShown = new Set<string>();
  /** Whether a call has reported this configuration's problems with their list (see `listedOnce` in impl.ts). */
  configurationReported = false;

  constructor(
    private readonly config: ConfigLookup,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** The local clock; injectable so expiry and renewal rules can be tested at any date. */
    private readonly localNow: () => Date = () => new Date(),
    /** Where notices for the user go (the engine shows the provider's stderr in its output). */
    readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /**
   * Now on KooDrive's clock, which stamps every expiry this is compared with: the local clock plus the offset learned
   * from KooDrive's `Date` headers in this process (a refresh's reads teach it); before any answer (a preview sends
   * nothing), the offset `recorded` in the resource's state by the process that last wrote or read it; else the local
   * clock. A local clock behind KooDrive's would otherwise keep an expired link "valid", or call it invalidated, and a
   * preview would plan otherwise than the up after it.
   */
  now(recorded?: Props): Date {
    const offset = this.learnedClockAheadMs() ?? recordedClockAheadMs(recorded);
    const local = this.localNow();
    return offset === undefined ? local : new Date(local.getTime() + offset);
  }

  /**
   * This machine's time, when {@link now} rests on an offset recorded in state that puts KooDrive behind this machine;
   * else undefined. That offset measured the clock of the machine that recorded it, which may have been the wrong one
   * (a runner hours fast, since fixed), so a link expired by this machine's clock is renewed rather than taken as
   * valid, and a write made by this machine's clock is not taken for a validity longer than declared (the cost: on a
   * machine whose clock really is fast, a preview misses a validity extended outside Pulumi by less than that, until
   * a refresh learns KooDrive's clock). Not for `renewBeforeDays` windows: there a machine whose clock really is fast
   * would renew on every run.
   */
  localClockAhead(recorded?: Props): Date | undefined {
    if (this.learnedClockAheadMs() !== undefined) return undefined;
    const offset = recordedClockAheadMs(recorded);
    return offset !== undefined && offset < 0 ? this.localNow() : undefined;
  }

  /**
   * What a resource's state records about KooDrive's clock after a request of this process: the offset, to the
   * minute (so that a refresh does not change the state for the second it measured), when it is beyond the clock
   * tolerance (a local clock far off, or an emulator whose clock was moved); `null` for a clock within it (nothing to
   * record); undefined when this process has learned nothing.
   */
  clockToRecord(): number | null | undefined {
    const offset = this.learnedClockAheadMs();
    if (offset === undefined) return undefined;
    return Math.abs(offset) >= CLOCK_TOLERANCE_MS ? Math.round(offset / 60_000) * 60_000 : null;
  }

  /** The offset this process learned for the configured endpoint, by any provider instance (another resource kind's too). */
  private learnedClockAheadMs(): number | undefined {
    if (processClients === undefined) return undefined; // nothing sent, nothing learned
    let endpoint: string;
    try {
      endpoint = this.settings().endpoint;
    } catch (e) {
      if (e instanceof ConfigurationError) return undefined; // no request can have been answered for it
      throw e;
    }
    return processClients.serverClockOffsetMs(endpoint);
  }

  /** Connection settings; throws one `ConfigurationError` listing every missing or malformed setting. */
  settings(): ConnectionSettings {
    this.settingsCache ??= resolveConnectionSettings(this.config, this.env);
    return this.settingsCache;
  }

  /** The client for the configured user, or for `userId` when a resource names its own share owner. */
  client(userId?: string): KooDriveClient {
    const settings = this.settings();
    const owner = userId ?? settings.userId;
    let client = this.clientCache.get(owner);
    if (client === undefined) {
      client = clients().clientFor(owner === settings.userId ? settings : { ...settings, userId: owner });
      this.clientCache.set(owner, client);
    }
    return client;
  }

  /** A process-wide key for one share of one owner at this endpoint (see `successorInThisRun`). */
  shareKey(owner: string, shareId: string): string {
    return `${this.settings().endpoint}\n${owner}\n${shareId}`;
  }

  /** The user a resource acts as: its own `userId` argument, else the configured one. */
  userId(own?: unknown): string {
    return typeof own === "string" && own !== "" ? own : this.settings().userId;
  }

  /**
   * `koodrive:edition`: the editions differ in the share scopes they offer and in what `validDays: 0` means (README:
   * KooDriveShareSettings' arguments and KooDriveShare's "Editions").
   */
  edition(): KooDriveEdition {
    return this.settings().edition ?? SETTING_DEFAULTS.edition;
  }

  /**
   * Every configuration problem at once, connection settings and refresh strategy, as one `ConfigurationError`
   * (configure calls it, so `pulumi preview` fails once, listing them all).
   */
  validate(): void {
    const problems: string[] = [];
    try {
      this.settings();
    } catch (e) {
      if (!(e instanceof ConfigurationError)) throw e;
      problems.push(...e.problems);
    }
    const strategy = this.refreshStrategySetting();
    if (strategy.problem !== undefined) problems.push(strategy.problem);
    if (problems.length > 0) throw new ConfigurationError(problems);
  }

  /** `koodrive:refreshStrategy` / `KOODRIVE_REFRESH_STRATEGY`: `auto` (default), `get` or `list`. */
  refreshStrategy(): RefreshStrategy {
    const { value, problem } = this.refreshStrategySetting();
    if (problem !== undefined) throw new ConfigurationError([problem]);
    return value;
  }

  private refreshStrategySetting(): { value: RefreshStrategy; problem?: string } {
    // Case-insensitive, as `koodrive:edition` is.
    const value = (settingValue("refreshStrategy", this.config, this.env) ?? "auto").toLowerCase();
    if (REFRESH_STRATEGIES.includes(value as RefreshStrategy)) return { value: value as RefreshStrategy };
    return { value: "auto", problem: `refreshStrategy must be one of ${REFRESH_STRATEGIES.join(", ")}: ${howToSet("refreshStrategy")}` };
  }

  /** How refresh reads the shares of `userId` (default: the configured user). */
  reader(userId?: string): ShareReader {
    return shareReaderFor(this.client(userId), this.refreshStrategy());
  }

  /**
   * A notice about one share, shown in the engine's output, once per provider instance (one per resource kind in a
   * provider process): the engine asks the same question more than once in one command (`up --refresh` reads, diffs for the refresh, then diffs for the update), and the same
   * warning three times reads as three problems. Never pass a secret.
   */
  notice(shareId: string, message: string): void {
    const line = `koodrive: share ${shareId}: ${message}`;
    if (this.noticesShown.has(line)) return;
    this.noticesShown.add(line);
    this.log(line);
  }
}
