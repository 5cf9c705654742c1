import { openaiResponsesClient } from './clients/openai-responses';
import { defineMatrix } from './matrix-runner';

/** Contract matrix, openai-responses inbound: every upstream kind × every scenario, streaming and not. */
defineMatrix(openaiResponsesClient);
