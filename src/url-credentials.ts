// Hiding the password of a connection URL (postgresql://, redis://) before the URL is shown — in a start-up
// line, an error's message, a log field.

/**
 * The URL with everything between `//` and the LAST `@` hidden but the user name: `scheme://user:***@host…`.
 * Drivers split the credentials at the last `@` (node-postgres and node-redis alike read
 * `redis://:Pa55@Word99@host` as the password `Pa55@Word99`), so a mask that stopped at the first one would
 * print the rest of the password. A `@` further on (in a path or a query) makes the mask reach it: more is
 * hidden than needed, never less. A URL with no `@` after its `//` carries no password and is left alone.
 */
export function hideUrlPassword(url: string): string {
  const start = url.indexOf('//');
  const at = url.lastIndexOf('@');
  if (start < 0 || at < start) return url;
  const credentials = url.slice(start + 2, at);
  const colon = credentials.indexOf(':');
  // The user name is no secret and tells which account was tried; it cannot hold `/ ? #` in a real URL.
  const user = colon < 0 ? credentials : credentials.slice(0, colon);
  const shown = /[/?#]/.test(user) ? '' : user;
  if (colon < 0 && shown === user) return url;
  return `${url.slice(0, start + 2)}${shown}:***${url.slice(at)}`;
}
