/**
 * Why a fixed `Pulumi.<stack>.yaml` may not reach a command: the engine configures `refresh` and `destroy` from the
 * stack config the last `up` stored in state.
 */
const STORED_CONFIG_NOTE =
  "(In refresh, destroy and up --refresh the stack config is the copy the last `pulumi up` stored, not Pulumi.<stack>.yaml: after fixing it, run a plain `pulumi up` first; KOODRIVE_* credential variables reach them at once.)";

/** How a configuration error is worded: where it was raised decides what the reader can do about it. */
type Wording = "listed" | "listedForStack" | "repeated";

/** Raised before any request when connection settings are missing or malformed; lists every problem at once. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  /** One line per problem, each naming the stack-config key and the environment variable. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], { wording = "listed" }: { wording?: Wording } = {}) {
    const list = `KooDrive connection settings are missing or invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
    super(
      wording === "repeated"
        ? "KooDrive connection settings are missing or invalid (listed in this run's first error about them)"
        : wording === "listedForStack"
          ? `${list}\n${STORED_CONFIG_NOTE}`
          : list,
    );
    this.problems = problems;
  }

  /**
   * The error as a provider reports it to the engine: the list, and why a fixed stack config may not reach this
   * command yet. (A script that uses the client directly has no stored config: it gets the list alone.)
   */
  forStack(): ConfigurationError {
    return new ConfigurationError(this.problems, { wording: "listedForStack" });
  }

  /** The same error for every later resource of a run: one line, so 1,000 resources do not print the list 1,000 times. */
  repeated(): ConfigurationError {
    return new ConfigurationError(this.problems, { wording: "repeated" });
  }
}
