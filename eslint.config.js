// The one-way flow of DESIGN.md, kept by the linter: each stage imports only stages to its left.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// store holds state for the surfaces and knows none of the stages; bot and server are the surfaces
// on the chat engine, side by side; cli starts them.
const STAGES = ["ingest", "index", "retrieve", "answer", "store", "chat", "eval", "bot", "server", "cli"];
const LEFT_ONLY = {
  ingest: ["index", "retrieve", "answer", "store", "chat", "eval", "bot", "server", "cli"],
  index: ["retrieve", "answer", "store", "chat", "eval", "bot", "server", "cli"],
  retrieve: ["answer", "store", "chat", "eval", "bot", "server", "cli"],
  answer: ["store", "chat", "eval", "bot", "server", "cli"],
  store: ["ingest", "index", "retrieve", "answer", "chat", "eval", "bot", "server", "cli"],
  chat: ["eval", "bot", "server", "cli"],
  // Scoring drives the conversation engine (follow-ups) and is used only by the commands.
  eval: ["bot", "server", "cli"],
  bot: ["eval", "server", "cli"],
  server: ["eval", "bot", "cli"],
  cli: ["bot"],
};

const stageRules = STAGES.map((stage) => ({
  files: [`src/${stage}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: stage === "bot" ? [] : [{ name: "grammy", message: "Only src/bot talks to Telegram." }],
        patterns: [
          {
            group: LEFT_ONLY[stage].flatMap((s) => [`../${s}/*`, `../../${s}/*`]),
            message: `src/${stage} may import only stages to its left (ingest → index → retrieve → answer → store → chat → bot/server/cli).`,
          },
          ...(stage === "bot" ? [] : [{ group: ["grammy/*", "@grammyjs/*"], message: "Only src/bot talks to Telegram." }]),
          ...(stage === "answer"
            ? []
            : [{ group: ["@langchain/openai", "@langchain/openai/*"], message: "Only src/answer (and the embedding adapter in src/index) talk to an LLM." }]),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ["node_modules/**", "vector-store/**", "var/**", "coverage/**", "dist/**", "dist.*/**", "scratch/**"] },
  { languageOptions: { globals: { ...globals.node } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...stageRules,
  // Shared modules at the top of src/ sit beside every stage and must not reach into the surfaces.
  {
    files: ["src/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["./chat/*", "./bot/*", "./server/*", "./cli/*", "grammy", "@grammyjs/*"], message: "Shared modules stay below the surfaces." }] },
      ],
    },
  },
  // The embedding adapter is the one place outside src/answer that may reach an OpenAI-compatible server.
  {
    files: ["src/index/embedding-spec.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
