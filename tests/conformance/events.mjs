// Events conformance: paymentd's events, posted by its own executor
// (paymentd-post-events), are judged by the Standard Webhooks reference
// library (`standardwebhooks`, pinned by package-lock.json):
//   - every delivery verifies with the secret, as a receiver would check it;
//   - a retry keeps its webhook-id (the receiver's dedupe key), signs anew;
//   - the same delivery with one body byte changed does not verify.
// Usage: node events.mjs --post-tool=PATH
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { Webhook } from "standardwebhooks";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, "").split(/=(.*)/s).slice(0, 2)),
);
if (!args["post-tool"]) {
  console.error("usage: node events.mjs --post-tool=PATH");
  process.exit(2);
}

let failures = 0;
let passes = 0;
function check(name, fn) {
  try {
    fn();
    passes++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failures++;
    console.log(`not ok - ${name}: ${error.stack ?? error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const secret = "whsec_" + randomBytes(32).toString("base64");
const workdir = mkdtempSync(join(tmpdir(), "paymentd-events-"));
const received = [];
// The first delivery is refused, as a receiver in the middle of a deploy would.
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(received.length === 1 ? 503 : 204).end();
  });
});

try {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/hooks/paymentd?source=conformance`;
  const secretFile = join(workdir, "events-secret");
  writeFileSync(secretFile, secret + "\n");
  const { stdout } = await promisify(execFile)(args["post-tool"], [url, secretFile]);
  process.stdout.write(stdout.replace(/^/gm, "    "));

  const webhook = new Webhook(secret);
  check("three deliveries: item 41 twice (refused, then taken), item 42 once", () => {
    assert(received.length === 3, `got ${received.length}`);
    assert(received.every((r) => r.url === "/hooks/paymentd?source=conformance"), "path and query kept");
  });
  check("standardwebhooks verifies every delivery", () => {
    for (const r of received) webhook.verify(r.body, r.headers);
  });
  check("a retry keeps its webhook-id; another item has its own", () => {
    assert(received[0].headers["webhook-id"] === "41", received[0].headers["webhook-id"]);
    assert(received[1].headers["webhook-id"] === "41", received[1].headers["webhook-id"]);
    assert(received[2].headers["webhook-id"] === "42", received[2].headers["webhook-id"]);
    assert(received[0].body === received[1].body, "the body is the same on a retry");
  });
  check("the verified payload is the event, with ids and amounts only", () => {
    const event = webhook.verify(received[2].body, received[2].headers);
    assert(event.type === "payment.refunded", JSON.stringify(event));
    assert(event.data.paymentId === "결제-1" && event.data.amount === 9000, JSON.stringify(event));
    assert(!("authorization" in received[2].headers), "no Authorization header");
  });
  check("one body byte changed does not verify", () => {
    let refused = false;
    try {
      webhook.verify(received[2].body.replace("9000", "9001"), received[2].headers);
    } catch {
      refused = true;
    }
    assert(refused, "a changed body was accepted");
  });
} catch (error) {
  failures++;
  console.log(`not ok - setup: ${error.stack ?? error}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
} finally {
  server.close();
  rmSync(workdir, { recursive: true, force: true });
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures === 0 && passes > 0 ? 0 : 1);
