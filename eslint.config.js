// The one-way flow of DESIGN.md, kept by the linter: each stage imports only stages to its left.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// store holds state for the surfaces (chats, answers, counters) and knows none of the stages.
const STAGES = ["ingest", "index", "retrieve", "answer", "store", "chat", "bot", "cli"];
const LEFT_ONLY = {
  ingest: ["index", "retrieve", "answer", "store", "chat", "bot", "cli"],
  index: ["retrieve", "answer", "store", "chat", "bot", "cli"],
  retrieve: ["answer", "store", "chat", "bot", "cli"],
  answer: ["store", "chat", "bot", "cli"],
  store: ["ingest", "index", "retrieve", "answer", "chat", "bot", "cli"],
  chat: ["bot", "cli"],
  bot: ["cli"],
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
            message: `src/${stage} may import only stages to its left (ingest → index → retrieve → answer → store → chat → bot/cli).`,
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
        { patterns: [{ group: ["./chat/*", "./bot/*", "./cli/*", "grammy", "@grammyjs/*"], message: "Shared modules stay below the surfaces." }] },
      ],
    },
  },
  // The embedding adapter is the one place outside src/answer that may reach an OpenAI-compatible server.
  {
    files: ["src/index/embedding-spec.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
