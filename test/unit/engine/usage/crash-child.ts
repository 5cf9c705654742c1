/**
 * Child process for the crash test: records one request every 5 ms until it is killed, and
 * prints the time of each record it handed to the recorder, so the parent knows what was lost.
 */
import { UsageRecorder } from '../../../../src-main/engine/usage';

const dbPath = process.argv[2]!;
const r = new UsageRecorder({ dbPath });
let i = 0;
setInterval(() => {
  const time = Date.now();
  r.record({
    id: `crash-${i++}`,
    time,
    inboundFormat: 'openai-chat',
    requestedModel: 'm',
    inputTokens: 1,
    outputTokens: 1,
    reasoningTokens: 0,
    cachedTokens: 0,
    latencyMs: 1,
    status: 200,
    stream: false,
  });
  process.stdout.write(`${time}\n`);
}, 5);
