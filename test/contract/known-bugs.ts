/**
 * Matrix cases skipped because the engine is wrong there. Key: `client|upstream|scenario|mode`.
 * Every value starts with `BUG:` and says what goes wrong. Empty: every case runs.
 */
export const KNOWN_BUGS: Record<string, string> = {};
