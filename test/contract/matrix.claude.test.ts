import { claudeClient } from './clients/claude';
import { defineMatrix } from './matrix-runner';

/** Contract matrix, claude inbound: every upstream kind × every scenario, streaming and not. */
defineMatrix(claudeClient);
