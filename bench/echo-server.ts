/**
 * The baseline server: bare Fastify (no plugins, no schemas, no logger) answering
 * POST /echo with a small JSON. Started by bench/work-loop.ts as a child process.
 *
 *     node --import tsx bench/echo-server.ts <port>
 */
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.post('/echo', async (request) => ({ ok: true, got: (request.body as { n?: number } | null)?.n ?? null }));
app.get('/healthz', async () => ({ ok: true }));
await app.listen({ port, host: '127.0.0.1' });
console.log(`echo server on ${port}`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
