// Entry point: `npm start`. With no DATABASE_URL and no platform token this is the web chat on
// an embedded PostgreSQL under .data/ — a newcomer's first run.
import { startApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { settleHeap } from './settle-heap.ts';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const running = await startApp({ config });
  running.log.info(`web chat: http://localhost:${new URL(running.url).port}/`);
  settleHeap();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  // One clear line; no stack with possibly sensitive values in production logs.
  process.stderr.write(`Start-up failed: ${err.name}: ${err.message}\n`);
  process.exit(1);
});
