/** The Antigravity client version its requests and model-list reads identify as. */
export const ANTIGRAVITY_VERSION = '2.9.1';
