import { openaiChatClient } from './clients/openai-chat';
import { defineMatrix } from './matrix-runner';

/** Contract matrix, openai-chat inbound: every upstream kind × every scenario, streaming and not. */
defineMatrix(openaiChatClient);
