import { BEARER_PREFIX } from "./requestHeaders";

/** What replaces a credential or access code in anything the package prints or stores. */
export const REDACTED = "[REDACTED]";

/** A bearer token anywhere in a text (a header echoed in an error, say), its scheme kept. */
const BEARER_TOKEN = new RegExp(String.raw`(${BEARER_PREFIX})[^\s"',]+`, "gi");
/** KooDrive's names for an access code: the API's field, spelt as text, and the Chinese pages' term. */
const ACCESS_CODE_LABEL = "(?:extract[_ ]?code|提取码)";
const ACCESS_CODE_AFTER_SEPARATOR = new RegExp(String.raw`(${ACCESS_CODE_LABEL}\\?["']?\s*[:=：]\s*\\?["']?)[0-9A-Za-z]{4,32}`, "gi");
const ACCESS_CODE_AFTER_SPACE = new RegExp(String.raw`(${ACCESS_CODE_LABEL}\s+)(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{4,32}\b`, "gi");

/**
 * Removes every occurrence of the given secret values, plus anything that looks like a bearer token, an HMAC
 * signature or a value labelled as an access code, from a text. Short values (under 4 characters) are not searched
 * for: they would shred ordinary text and carry no secret worth the name.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>, accessCodes?: AccessCodes): string {
  let result = accessCodes === undefined ? text : accessCodes.redactIn(text);
  const values = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const value of values) result = result.split(value).join(REDACTED);
  return (
    result
      .replace(BEARER_TOKEN, `$1${REDACTED}`)
      .replace(/(Signature=)[0-9a-fA-F]+/g, `$1${REDACTED}`)
      // An access code KooDrive names as one, which this process may not have seen yet (the first read of a share):
      // after `:` or `=` (JSON, escaped JSON, key=value), any code; after a space, only a word with a digit in it, so
      // that "extractCode mismatch" keeps its meaning.
      .replace(ACCESS_CODE_AFTER_SEPARATOR, `$1${REDACTED}`)
      .replace(ACCESS_CODE_AFTER_SPACE, `$1${REDACTED}`)
  );
}

/**
 * Access codes never to print: every one a process has handled, which can be thousands (a refresh of a large stack,
 * a listing). Found in a text by looking up each of its substrings of a code's length, so redacting costs the
 * text's length, not the number of codes (one split per code made a destroy of N shares O(N²)).
 */
export class AccessCodes {
  private readonly byLength = new Map<number, Set<string>>();

  /** Adds a code; short ones are ignored, as {@link redact} ignores short secrets. */
  add(code: string): void {
    if (code.length < 4) return;
    const codes = this.byLength.get(code.length) ?? new Set<string>();
    this.byLength.set(code.length, codes);
    codes.add(code);
  }

  /** `text` with every occurrence of a code replaced by {@link REDACTED}. */
  redactIn(text: string): string {
    let result = text;
    // Longest first, as for the other secrets: a shorter code inside a longer one must not leave the rest of it shown.
    for (const length of [...this.byLength.keys()].sort((a, b) => b - a)) {
      const codes = this.byLength.get(length)!;
      let out = "";
      let from = 0;
      for (let i = 0; i + length <= result.length; ) {
        if (codes.has(result.slice(i, i + length))) {
          out += result.slice(from, i) + REDACTED;
          i += length;
          from = i;
        } else i += 1;
      }
      result = from === 0 ? result : out + result.slice(from);
    }
    return result;
  }
}
