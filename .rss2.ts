import { startApp } from './bot/app.ts';
import { loadConfig } from './bot/config.ts';
const rss = () => Math.round(process.memoryUsage().rss / 1048576);
console.log('before app', rss());
const running = await startApp({ config: loadConfig({ ...process.env, DATABASE_URL: process.argv[3], PORT: '0', HOST: '127.0.0.1', PSEUDONYM_SECRET: 'b'.repeat(64), ADDRESS_KEY: 'c'.repeat(64), NODE_ENV: 'production', LOG_LEVEL: 'warn' }), jobs: process.argv[2] === 'jobs' });
await new Promise((r) => setTimeout(r, 2000));
console.log('up', rss(), Math.round(process.memoryUsage().heapUsed/1048576), Math.round(process.memoryUsage().external/1048576), Math.round(process.memoryUsage().arrayBuffers/1048576));
await running.stop(); process.exit(0);
