import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Native addons (jieba, hnswlib) are safest in forked processes.
    pool: "forks",
    // Expected fallbacks log warnings; tests assert on behaviour, not on log noise.
    env: { LOG_LEVEL: "error" },
  },
});
