import { geminiClient } from './clients/gemini';
import { defineMatrix } from './matrix-runner';

/** Contract matrix, gemini inbound: every upstream kind × every scenario, streaming and not. */
defineMatrix(geminiClient);
