/** Raised before any request when connection settings are missing or malformed; lists every problem at once. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  /** One line per problem, each naming the stack-config key and the environment variable. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`KooDrive connection settings are missing or invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}
