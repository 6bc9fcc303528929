import { assertEquals, assertMatch, assertRejects } from "../../_helpers/assert.ts";
import { fakeIo } from "../../_helpers/fake_io.ts";
import { readEncryptKeys } from "../../../src/cli/encrypt_flag.ts";
import { parseFlags, UsageError } from "../../../src/cli/flags.ts";

const KEY = "a2V5a2V5a2V5a2V5a2V5MQ==";
const SPEC = { encrypt: { type: "string" }, "encrypt-file": { type: "string" } } as const;

function keys(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  return readEncryptKeys(parseFlags(args, SPEC), fakeIo({ env }));
}

Deno.test("readEncryptKeys() reads --encrypt, --encrypt-file and REGISTRY_ENCRYPT, and none means no encryption", async () => {
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, `${KEY}\n\n${KEY.replace("MQ", "Mg")}\n`);
    assertEquals(await keys(["--encrypt", KEY]), [KEY]);
    assertEquals(await keys(["--encrypt-file", file]), [KEY, KEY.replace("MQ", "Mg")]);
    assertEquals(await keys([], { REGISTRY_ENCRYPT: ` ${KEY} ` }), [KEY]);
    assertEquals(await keys([]), []);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("readEncryptKeys() refuses an empty key instead of silently running unencrypted", async () => {
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, "\n  \n");
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--encrypt", ""], {}, /"--encrypt" holds no key/],
      [["--encrypt", "  "], {}, /"--encrypt" holds no key/],
      [["--encrypt-file", file], {}, /"--encrypt-file" ".*" holds no key/],
      [[], { REGISTRY_ENCRYPT: "" }, /REGISTRY_ENCRYPT holds no key/],
      [[], { REGISTRY_ENCRYPT: " , " }, /REGISTRY_ENCRYPT holds no key/],
    ];
    for (const [args, env, message] of cases) {
      const err = await assertRejects(() => keys(args, env), UsageError);
      assertMatch(err.message, message);
    }
  } finally {
    await Deno.remove(file);
  }
});
