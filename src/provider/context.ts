import { ConfigurationError } from "../client/configurationError";
import { ConfigLookup, ConnectionSettings, resolveConnectionSettings } from "../client/connectionSettings";
import { KooDriveClient } from "../client/koodriveClient";
import { REFRESH_STRATEGIES, RefreshStrategy, ShareReader, shareReaderFor } from "./shareReader";

/** KooDrive edition: they differ in headers and in what `validDays: 0` means (see the README, "Editions"). */
export type Edition = "carrier" | "enterprise";

/**
 * Clients are shared by every provider instance in the process: one keep-alive agent per connection settings,
 * whichever resource kind asks. (Configuration is not shared: it lives on each provider instance's context.)
 */
const processClients = new Map<string, KooDriveClient>();

function clientFor(settings: ConnectionSettings): KooDriveClient {
  const key = JSON.stringify(settings);
  let client = processClients.get(key);
  if (client === undefined) {
    client = new KooDriveClient(settings);
    processClients.set(key, client);
  }
  return client;
}

/**
 * What one deserialized provider instance knows in its process: the stack configuration the engine sent to
 * `configure`, the environment, and the clock. Every provider method receives it; nothing else holds configuration.
 */
export class ProviderContext {
  private settingsCache: ConnectionSettings | undefined;

  constructor(
    private readonly config: ConfigLookup,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** The clock; injectable so expiry and renewal rules can be tested at any date. */
    readonly now: () => Date = () => new Date(),
    /** Where notices for the user go (the engine shows the provider's stderr in its output). */
    readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /** Connection settings; throws one `ConfigurationError` listing every missing or malformed setting. */
  settings(): ConnectionSettings {
    this.settingsCache ??= resolveConnectionSettings(this.config, this.env);
    return this.settingsCache;
  }

  /** The client for the configured user, or for `userId` when a resource names its own share owner. */
  client(userId?: string): KooDriveClient {
    const settings = this.settings();
    return clientFor(userId === undefined || userId === settings.userId ? settings : { ...settings, userId });
  }

  /** The user a resource acts as: its own `userId` argument, else the configured one. */
  userId(own?: unknown): string {
    return typeof own === "string" && own !== "" ? own : this.settings().userId;
  }

  /** `koodrive:edition` / `KOODRIVE_EDITION`; needs no credentials, so `check` can use it. */
  edition(): Edition {
    const value = (this.config("koodrive:edition") ?? this.env.KOODRIVE_EDITION ?? "").trim() || "carrier";
    if (value !== "carrier" && value !== "enterprise") {
      throw new ConfigurationError(['edition must be "carrier" or "enterprise": set stack config koodrive:edition or the environment variable KOODRIVE_EDITION']);
    }
    return value;
  }

  /** `koodrive:refreshStrategy` / `KOODRIVE_REFRESH_STRATEGY`: `auto` (default), `get` or `list`. */
  refreshStrategy(): RefreshStrategy {
    const value = (this.config("koodrive:refreshStrategy") ?? this.env.KOODRIVE_REFRESH_STRATEGY ?? "").trim() || "auto";
    if (!REFRESH_STRATEGIES.includes(value as RefreshStrategy)) {
      throw new ConfigurationError([`refreshStrategy must be one of ${REFRESH_STRATEGIES.join(", ")}: set stack config koodrive:refreshStrategy or the environment variable KOODRIVE_REFRESH_STRATEGY`]);
    }
    return value as RefreshStrategy;
  }

  /** How refresh reads the shares of `userId` (default: the configured user). */
  reader(userId?: string): ShareReader {
    return shareReaderFor(this.client(userId), this.refreshStrategy());
  }

  /** A notice about one share, shown in the engine's output. Never pass a secret. */
  notice(shareId: string, message: string): void {
    this.log(`koodrive: share ${shareId}: ${message}`);
  }
}
