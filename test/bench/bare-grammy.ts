// The ceiling: a bare grammY webhook on Fastify that answers "ok" and does nothing else.
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';

const token = process.env.TELEGRAM_BOT_TOKEN ?? '1:bench';
const bot = new Bot(token, {
  botInfo: { id: 1, is_bot: true, first_name: 'bench', username: 'bench_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false } as never,
});
bot.on('message', () => {});
bot.on('callback_query', () => {});
const app = Fastify();
app.post('/webhooks/telegram', webhookCallback(bot, 'fastify', { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET ?? 'bench' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const addr = app.server.address();
process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
