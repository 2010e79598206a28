/** What replaces a credential or access code in anything the package prints or stores. */
export const REDACTED = "[REDACTED]";

/**
 * Removes every occurrence of the given secret values, plus anything that looks like a bearer token or an HMAC
 * signature, from a text. Short values (under 4 characters) are not searched for: they would shred ordinary text
 * and carry no secret worth the name.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  const values = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const value of values) result = result.split(value).join(REDACTED);
  return result.replace(/(Bearer[+ ])[^\s"',]+/gi, `$1${REDACTED}`).replace(/(Signature=)[0-9a-fA-F]+/g, `$1${REDACTED}`);
}
