/**
 * Matrix cases skipped because the engine is wrong there. Key: `client|upstream|scenario|mode`.
 * Every value starts with `BUG:` and says what goes wrong; the final report of the contract suite
 * lists them with the suspected file.
 */
export const KNOWN_BUGS: Record<string, string> = {};
