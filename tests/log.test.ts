import { describe, expect, it } from "vitest";
import { scrubSecrets } from "../src/log.js";

describe("secrets never reach the log", () => {
  it("removes the bot token from error text, named or not", () => {
    const token = "123456:AAFsecretSECRETsecret-_abcdefghij";
    const message = `Call to 'sendMessage' failed! (POST https://api.telegram.org/bot${token}/sendMessage)`;
    expect(scrubSecrets(message, [token])).not.toContain(token);
    expect(scrubSecrets(message, [])).not.toContain("AAFsecret");
    expect(scrubSecrets("sk-test-key rejected", ["sk-test-key"])).toBe("[redacted] rejected");
  });
});
