/**
 * Other spellings of a route path that a lax router might take for the same route: case
 * variants, trailing and doubled slashes, percent-encoded characters (upper and lower hex),
 * dot segments, backslashes, matrix parameters. None of them is the documented path.
 */
export function pathSpellings(path: string): string[] {
  const out = new Set<string>();
  const hex = (ch: string) => ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');

  // Case: whole path, each segment capitalised, and each single letter flipped.
  out.add(path.toUpperCase());
  out.add(path.replace(/\/([a-z])/g, (_m, c: string) => `/${c.toUpperCase()}`));
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (/[a-z]/i.test(ch)) out.add(path.slice(0, i) + (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) + path.slice(i + 1));
  }

  // Slashes.
  out.add(`${path}/`);
  out.add(`/${path}`);
  for (let i = 1; i < path.length; i++) if (path[i] === '/') out.add(`${path.slice(0, i)}/${path.slice(i)}`);
  out.add(path.replace(/\//g, '\\').replace(/^\\/, '/'));

  // Percent-encoding of each character after the leading slash (%2F, %56 for V, lower-case hex too).
  for (let i = 1; i < path.length; i++) {
    const h = hex(path[i]);
    out.add(`${path.slice(0, i)}%${h}${path.slice(i + 1)}`);
    out.add(`${path.slice(0, i)}%${h.toLowerCase()}${path.slice(i + 1)}`);
  }
  out.add(`${path}%00`);
  out.add(`${path}%20`);

  // Dot segments, literal and encoded, at every separator.
  for (let i = 0; i < path.length; i++) {
    if (path[i] !== '/') continue;
    const head = path.slice(0, i);
    const tail = path.slice(i);
    out.add(`${head}/.${tail}`);
    out.add(`${head}/x/..${tail}`);
    out.add(`${head}/%2e${tail}`);
    out.add(`${head}/x/%2e%2e${tail}`);
  }

  // Matrix parameters and a fragment-looking tail.
  out.add(`${path};x=1`);
  out.add(`${path}%23frag`);

  out.delete(path);
  return [...out];
}
