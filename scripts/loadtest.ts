/**
 * `npm run loadtest [-- --users 50 --questions 4 --delay 100]`: starts the real bot (`npm start`'s
 * bundle, in a child process) against the local Bot API stand-in, lets N users each send M
 * questions at once (a parents' group after a school notice), and prints how many were answered in
 * the right chat and in order, the latency from an update becoming available to its answer
 * arriving at the Bot API (p50/p95/max), the bot's peak RSS and how long SIGTERM took.
 * Everything runs on loopback and stops by itself (a bounded number of requests and a deadline).
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startFakeBotApi, textUpdate } from "../tests/fakes/bot-api.js";

const ROOT = resolve(import.meta.dirname, "..");

/** Questions whose answers are short (one message) and carry a marker no other answer has. */
/** Each question and what its answer must hold: a fact, or the short label of the task it cites. */
const QUESTIONS: { q: string; marker: string }[] = [
  { q: "长宁区小学课后服务到几点结束？", marker: "16:30 至 18:00" },
  { q: "043项完成率多少？", marker: "完成率已达 100%" },
  { q: "青浦区教育信息化由哪个部门牵头？", marker: "由局信息办牵头" },
  { q: "长宁的操场周末开放吗？", marker: "长宁2023·第16项" },
  // Each names its place: a short question without one may be read as a follow-up to the one before.
  { q: "青浦区教育设备采购怎么管理？", marker: "青浦2019·第24项" },
  { q: "闵行托育机构从业人员职后培训多少人次？", marker: "200人次" },
  { q: "闵行区的操场周末开放吗？", marker: "闵行2021下半年·第5项" },
  { q: "青浦区特殊教育怎么做？", marker: "青浦2019·第14项" },
];

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "50" },
    questions: { type: "string", default: "4" },
    delay: { type: "string", default: "100" },
    deadline: { type: "string", default: "180" },
  },
});
const users = Number(args.users);
const perUser = Number(args.questions);
const delayMs = Number(args.delay);
const deadline = Date.now() + Number(args.deadline) * 1000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
/** Peak resident set of a process so far (Linux): what the bot needed at its worst. */
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/u.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

const api = await startFakeBotApi(undefined, { delayMs });
const env: NodeJS.ProcessEnv = {
  ...process.env,
  BOT_TOKEN: api.token,
  TELEGRAM_API_ROOT: api.apiRoot,
  BOT_MODE: "polling",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  FEEDBACK_LOG: join(mkdtempSync(join(tmpdir(), "epb-load-")), "feedback.jsonl"),
  // Counting is what is measured here, not the limiter: every user may ask all their questions.
  RATE_LIMIT_PER_MINUTE: String(Math.max(12, perUser * 2)),
};
// Bundled first: a stale bundle would be rebuilt inside the bot's process and count in its peak RSS.
if (spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { stdio: "inherit" }).status !== 0) throw new Error("build failed");
// Launched as `node scripts/run.mjs start` (not through npm) so that the pid is the bot's own.
const bot = spawn(process.execPath, [join(ROOT, "scripts/run.mjs"), "start"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
const exited = new Promise<number | null>((ok) => bot.on("exit", (code) => ok(code)));

try {
  await api.waitFor("getUpdates", 1, 120_000);
  const chats = Array.from({ length: users }, (_, u) => 100_000 + u);
  const asked = new Map<number, { marker: string; at: number }[]>();
  const queuedAt = Date.now();
  for (let k = 0; k < perUser; k++) {
    for (const [u, chat] of chats.entries()) {
      const { q, marker } = QUESTIONS[(u + k) % QUESTIONS.length]!;
      api.queueUpdate(textUpdate(q, { chatId: chat, userId: chat }));
      asked.set(chat, [...(asked.get(chat) ?? []), { marker, at: queuedAt }]);
    }
  }
  const total = users * perUser;
  process.stderr.write(`loadtest: ${users} users × ${perUser} questions, Bot API round trip ${delayMs} ms…\n`);
  const replies = () => api.calls.filter((c) => c.method === "sendMessage");
  while (replies().length < total && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));

  let answered = 0;
  let wrongChat = 0;
  let outOfOrder = 0;
  const latencies: number[] = [];
  const seen = new Map<number, number>();
  for (const call of replies()) {
    const chat = Number(call.payload.chat_id);
    const text = String(call.payload.text);
    const expected = asked.get(chat);
    const k = seen.get(chat) ?? 0;
    seen.set(chat, k + 1);
    // A reply in a chat that asked nothing, or carrying none of that chat's questions' markers.
    if (!expected || !expected.some((e) => text.includes(e.marker))) {
      if (wrongChat++ < 3) process.stderr.write(`unexpected reply in chat ${chat}: ${text.slice(0, 160)}\n`);
      continue;
    }
    if (!text.includes(expected[k]?.marker ?? "\0")) outOfOrder++;
    answered++;
    latencies.push(call.at - expected[Math.min(k, expected.length - 1)]!.at);
  }
  const rss = peakRssMb(bot.pid!);
  const stopAt = Date.now();
  bot.kill("SIGTERM");
  const code = await Promise.race([exited, new Promise<string>((ok) => setTimeout(() => ok("still running after 15 s"), 15_000))]);
  const stopMs = Date.now() - stopAt;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(
    [
      `users × questions      ${users} × ${perUser} = ${total}`,
      `Bot API round trip     ${delayMs} ms`,
      `answered (right chat)  ${answered}/${total}`,
      `wrong chat             ${wrongChat}`,
      `out of order           ${outOfOrder}`,
      `latency p50            ${s(pct(latencies, 50))}`,
      `latency p95            ${s(pct(latencies, 95))}`,
      `latency max            ${s(Math.max(...latencies))}`,
      `peak RSS (bot)         ${rss.toFixed(0)} MB`,
      `SIGTERM → exit         ${typeof code === "string" ? code : `${stopMs} ms (exit ${code})`}`,
    ].join("\n") + "\n",
  );
  if (answered < total || wrongChat > 0) process.exitCode = 1;
} finally {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await api.close();
}
