// The bot with its replies sent straight after the commit, no outbox row: the bench runs it
// beside the real bot to show what the outbox costs. Same environment as bot/main.ts.
import { startApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { settleHeap } from '../../bot/settle-heap.ts';

const running = await startApp({ config: loadConfig(), engine: { directReplies: true } });
settleHeap();
process.on('SIGTERM', () => running.stop().then(() => process.exit(0)));
