// The Socket.IO peer of ./bench/run chat-fanout: one instance of a chat room server with the Redis adapter, so that
// several instances on different ports share rooms through Redis pub/sub (as chat-service instances share them
// through Kafka).
//
//   node server.mjs --port=3001 --redis=redis://127.0.0.1:6379 --prefix=bench-chat-<run> --instance=1
//
// A client connects with ws://127.0.0.1:<port>/socket.io/?EIO=4&transport=websocket&room=<room>&user=<user> and is
// joined to <room> on connection. It sends 42<ack>["chat",{"clientMessageId":"...","text":"..."}]; the server checks
// the text (1..500 characters after trimming), gives the message an id, acknowledges the sender (43<ack>[{...}]) and
// broadcasts ["chat",{id,room,author,text,sentAt,clientMessageId}] to the room with io.to(room).emit — on every
// instance, through the Redis adapter. GET /health answers 200 once Redis is connected; "ready <port>" is printed
// on stdout at the same moment. Stops on SIGTERM/SIGINT.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, "").split("=");
  return [k, v.join("=")];
}));
const port = Number(args.port ?? process.env.PORT ?? 3001);
const redisUrl = args.redis ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = args.prefix ?? "bench-chat";
const instance = args.instance ?? "1";
const MAX_TEXT = 500;

let ready = false;
let messages = 0;
let refused = 0;

const http = createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ ready, instance, connections: io.engine.clientsCount, messages, refused }));
    return;
  }
  if (!req.url.startsWith("/socket.io/")) {
    res.writeHead(404);
    res.end();
  }
});

const io = new Server(http, {
  transports: ["websocket"],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 8 * 1024,
  // Engine.IO v4 defaults (ping every 25 s, 20 s to answer), as a production deployment would run.
});

const pub = createClient({ url: redisUrl });
const sub = pub.duplicate();
pub.on("error", (e) => console.error("redis pub error", e.message));
sub.on("error", (e) => console.error("redis sub error", e.message));
await Promise.all([pub.connect(), sub.connect()]);
io.adapter(createAdapter(pub, sub, { key: prefix }));

io.on("connection", (socket) => {
  const room = String(socket.handshake.query.room ?? "");
  const user = String(socket.handshake.query.user ?? socket.id);
  if (!room) {
    socket.disconnect(true);
    return;
  }
  socket.join(room);
  socket.on("chat", (message, ack) => {
    const text = typeof message?.text === "string" ? message.text.trim() : "";
    const clientMessageId = typeof message?.clientMessageId === "string" ? message.clientMessageId : "";
    if (text.length === 0 || text.length > MAX_TEXT || clientMessageId.length === 0) {
      refused++;
      if (typeof ack === "function") ack({ error: "invalid_message", clientMessageId });
      return;
    }
    messages++;
    const out = {
      id: `${instance}-${messages}`,
      room,
      author: { userId: user },
      text,
      sentAt: new Date().toISOString(),
      clientMessageId,
    };
    if (typeof ack === "function") ack({ id: out.id, clientMessageId, sentAt: out.sentAt });
    io.to(room).emit("chat", out);
  });
});

http.listen(port, "127.0.0.1", () => {
  ready = true;
  console.log(`ready ${port} instance ${instance} redis ${redisUrl} prefix ${prefix}`);
});

const stop = () => {
  io.close();
  Promise.allSettled([pub.quit(), sub.quit()]).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
