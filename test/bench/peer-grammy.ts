// The peer: the grammY bot people would write instead. A webhook on Fastify, grammY's session()
// kept in PostgreSQL by @grammyjs/storage-psql, one log INSERT per update and a reply with a
// 7-button keyboard through the same fake Bot API. No dedupe, no lock, no outbox.
import { PsqlAdapter } from '@grammyjs/storage-psql';
import Fastify from 'fastify';
import { Bot, type Context, type SessionFlavor, session, webhookCallback } from 'grammy';
import pg from 'pg';

interface Session {
  step: string;
  n: number;
}
type Ctx = Context & SessionFlavor<Session>;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('CREATE TABLE IF NOT EXISTS peer_log (id bigserial PRIMARY KEY, chat_key text NOT NULL, kind text NOT NULL, at timestamptz NOT NULL DEFAULT now())');
const bot = new Bot<Ctx>(process.env.TELEGRAM_BOT_TOKEN ?? '1:bench', {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT ?? 'http://127.0.0.1:1' },
  botInfo: { id: 1, is_bot: true, first_name: 'peer', username: 'peer_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false } as never,
});
// A pool, as a server would use (the adapter only calls query()).
const storage = await PsqlAdapter.create({ tableName: 'peer_sessions', client: pool as unknown as pg.Client });
bot.use(session({ initial: (): Session => ({ step: 'start', n: 0 }), storage }));
const keyboard = {
  inline_keyboard: ['Tự sàng lọc', 'Điều trị', 'Dịch vụ', 'Câu lạc bộ', 'Cần giúp ngay', 'Quyền riêng tư', 'Ngôn ngữ'].map((label, i) => [{ text: label, callback_data: `menu.${i}` }]),
};
bot.on(['message', 'callback_query'], async (ctx) => {
  ctx.session.n += 1;
  ctx.session.step = ctx.callbackQuery?.data ?? 'text';
  await pool.query('INSERT INTO peer_log (chat_key, kind) VALUES ($1, $2)', [String(ctx.chat?.id ?? 0), ctx.callbackQuery ? 'choice' : 'text']);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply('Bạn muốn làm gì tiếp theo?', { reply_markup: keyboard });
});
const app = Fastify();
app.post('/webhooks/telegram', webhookCallback(bot, 'fastify', { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET ?? 'bench' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const addr = app.server.address();
process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', () => app.close().then(() => pool.end()).then(() => process.exit(0)));
