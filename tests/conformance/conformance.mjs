// PortOne conformance: the official SDK (@portone/server-sdk) and the Standard
// Webhooks reference library (standardwebhooks) are the referees.
//   1. Webhooks signed by `standardwebhooks` (and mutations of them) are checked
//      by our C++ verifier (portone-verify-samples); every verdict must match.
//   2. The SDK's PaymentClient, pointed at portone-sandbox, reads, cancels, pays,
//      reads billing keys and schedules; every answer and error must be a valid
//      SDK type.
//   3. The SDK's Webhook.verify accepts the sandbox's signed webhooks.
// Usage: node conformance.mjs --sandbox=PATH --verify-tool=PATH
// Exits non-zero on any failure, including missing npm packages (run `npm ci`).
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { PaymentClient, Webhook as PortOneWebhook } from "@portone/server-sdk";
import { Webhook as StandardWebhook } from "standardwebhooks";

import { assertSdkType } from "./sdk_schema.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, "").split(/=(.*)/s).slice(0, 2)),
);
if (!args.sandbox || !args["verify-tool"]) {
  console.error("usage: node conformance.mjs --sandbox=PATH --verify-tool=PATH");
  process.exit(2);
}

let failures = 0;
let passes = 0;
async function check(name, fn) {
  try {
    await fn();
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
async function expectError(promise, type, sdkType) {
  try {
    await promise;
  } catch (error) {
    assert(error.data, `expected an SDK RestError, got ${error}`);
    assert(error.data.type === type, `expected ${type}, got ${JSON.stringify(error.data)}`);
    assertSdkType(sdkType, error.data);
    return error;
  }
  throw new Error(`expected ${type}, but the call succeeded`);
}

const workdir = mkdtempSync(join(tmpdir(), "portone-conformance-"));
const webhookSecret = "whsec_" + randomBytes(32).toString("base64");
const apiSecret = "conformance-" + randomBytes(12).toString("hex");

// ---- 1. standardwebhooks signs, our C++ verifier judges ----
async function verifierConformance() {
  const now = Math.floor(Date.now() / 1000);
  const signer = new StandardWebhook(webhookSecret);
  const stranger = new StandardWebhook("whsec_" + randomBytes(32).toString("base64"));
  const body = JSON.stringify({
    type: "Transaction.Paid",
    timestamp: new Date(now * 1000).toISOString(),
    data: { paymentId: "결제-1", storeId: "store-conformance", transactionId: "tx-1" },
  });
  const id = "msg_" + randomBytes(8).toString("hex");
  const sign = (ts, b = body, msgId = id, who = signer) => who.sign(msgId, new Date(ts * 1000), b);
  const good = sign(now);
  const headers = (overrides = {}) => {
    const h = { "webhook-id": id, "webhook-timestamp": String(now), "webhook-signature": good, ...overrides };
    return Object.entries(h).filter(([, v]) => v !== undefined);
  };
  const samples = [
    { name: "valid", headers: headers(), body, expect: "VALID" },
    { name: "valid among several entries", headers: headers({ "webhook-signature": `v1,${randomBytes(32).toString("base64")} v2,abc ${good}` }), body, expect: "VALID" },
    { name: "one body byte changed", headers: headers(), body: body.replace("tx-1", "tx-2"), expect: "NO_MATCHING_SIGNATURE" },
    { name: "id changed", headers: headers({ "webhook-id": id + "x" }), body, expect: "NO_MATCHING_SIGNATURE" },
    { name: "timestamp changed", headers: headers({ "webhook-timestamp": String(now + 1) }), body, expect: "NO_MATCHING_SIGNATURE" },
    { name: "id missing", headers: headers({ "webhook-id": undefined }), body, expect: "MISSING_REQUIRED_HEADERS" },
    { name: "timestamp missing", headers: headers({ "webhook-timestamp": undefined }), body, expect: "MISSING_REQUIRED_HEADERS" },
    { name: "signature missing", headers: headers({ "webhook-signature": undefined }), body, expect: "MISSING_REQUIRED_HEADERS" },
    { name: "signature header twice", headers: [...headers(), ["webhook-signature", good]], body, expect: "MISSING_REQUIRED_HEADERS" },
    { name: "empty v1 entry", headers: headers({ "webhook-signature": "v1," }), body, expect: "NO_MATCHING_SIGNATURE" },
    { name: "only v2 entries", headers: headers({ "webhook-signature": good.replace("v1,", "v2,") }), body, expect: "NO_MATCHING_SIGNATURE" },
    { name: "non-base64 signature", headers: headers({ "webhook-signature": "v1,@@not-base64@@" }), body, expect: "NO_MATCHING_SIGNATURE" },
    { name: "wrong secret", headers: headers({ "webhook-signature": sign(now, body, id, stranger) }), body, expect: "NO_MATCHING_SIGNATURE" },
    { name: "299 s old", headers: headers({ "webhook-timestamp": String(now - 299), "webhook-signature": sign(now - 299) }), body, expect: "VALID" },
    { name: "299 s ahead", headers: headers({ "webhook-timestamp": String(now + 299), "webhook-signature": sign(now + 299) }), body, expect: "VALID" },
    { name: "301 s old", headers: headers({ "webhook-timestamp": String(now - 301), "webhook-signature": sign(now - 301) }), body, expect: "TIMESTAMP_TOO_OLD" },
    { name: "301 s ahead", headers: headers({ "webhook-timestamp": String(now + 301), "webhook-signature": sign(now + 301) }), body, expect: "TIMESTAMP_TOO_NEW" },
  ];
  // The reference library agrees on the samples it can judge with the real clock.
  await check("standardwebhooks itself accepts the valid sample", () => {
    signer.verify(body, Object.fromEntries(headers()));
  });
  const file = join(workdir, "samples.json");
  writeFileSync(file, JSON.stringify({ now, secrets: [webhookSecret], samples }));
  await check(`our C++ verifier agrees on ${samples.length} standardwebhooks samples`, async () => {
    try {
      const { stdout } = await promisify(execFile)(args["verify-tool"], [file]);
      process.stdout.write(stdout.replace(/^/gm, "    "));
    } catch (error) {
      throw new Error(`portone-verify-samples failed:\n${error.stdout}${error.stderr}`);
    }
  });
}

// ---- 2. and 3. the SDK against the sandbox ----
function startSandbox() {
  return new Promise((resolve, reject) => {
    const child = spawn(args.sandbox, ["--port=0", `--api-secret=${apiSecret}`,
      `--webhook-secret=${webhookSecret}`, "--time-scale=0.001"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/listening on ([\d.]+):(\d+)/);
      if (match) resolve({ child, baseUrl: `http://${match[1]}:${match[2]}` });
    });
    child.on("exit", (code) => reject(new Error(`portone-sandbox exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error("portone-sandbox did not start in 10 s")), 10_000).unref();
  });
}

function startReceiver() {
  const received = [];
  const waiters = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    server,
    url: `http://127.0.0.1:${server.address().port}/webhook`,
    async next(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no matching webhook arrived");
        await new Promise((r) => { waiters.push(r); setTimeout(r, 50); });
      }
    },
  })));
}

async function sdkConformance() {
  const { child, baseUrl } = await startSandbox();
  const receiver = await startReceiver();
  const control = async (path, body) => {
    const res = await fetch(baseUrl + path, { method: "POST", body: JSON.stringify(body ?? {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };
  const client = PaymentClient({ secret: apiSecret, baseUrl });
  try {
    const statuses = [
      ["READY", {}], ["PAY_PENDING", { method: "easyPay" }], ["VIRTUAL_ACCOUNT_ISSUED", { method: "virtualAccount" }],
      ["PAID", { method: "card", billingKey: "bk-read", customerId: "user-1" }], ["PAID", { method: "easyPay" }],
      ["PAID", { method: "transfer" }], ["FAILED", { method: "card" }], ["PARTIAL_CANCELLED", { method: "card" }],
      ["CANCELLED", { method: "card" }],
    ];
    for (const [i, [status, extra]] of statuses.entries()) {
      await check(`getPayment parses a ${status} ${extra.method ?? "no-method"} payment`, async () => {
        const id = `read-${i}`;
        await control("/_sandbox/payments", { id, status, amount: 12000, ...extra });
        const payment = await client.getPayment({ paymentId: id });
        assertSdkType("Payment", payment);
        assert(payment.status === status && payment.id === id, `got ${payment.status} ${payment.id}`);
      });
    }
    await check("getPayment of an unknown payment is PAYMENT_NOT_FOUND", () =>
      expectError(client.getPayment({ paymentId: "nope" }), "PAYMENT_NOT_FOUND", "PaymentNotFoundError"));
    await check("a wrong secret is UNAUTHORIZED", () =>
      expectError(PaymentClient({ secret: "wrong", baseUrl }).getPayment({ paymentId: "read-0" }),
        "UNAUTHORIZED", "UnauthorizedError"));

    await check("cancelPayment cancels, the Transaction.Cancelled webhook verifies, a second cancel is PAYMENT_ALREADY_CANCELLED", async () => {
      await control("/_sandbox/payments", { id: "cancel-1", status: "PAID", amount: 5000, noticeUrl: receiver.url });
      const answer = await client.cancelPayment({ paymentId: "cancel-1", reason: "conformance", currentCancellableAmount: 5000 });
      assertSdkType("CancelPaymentResponse", answer);
      assert(answer.cancellation.status === "SUCCEEDED" && answer.cancellation.totalAmount === 5000, JSON.stringify(answer));
      const payment = await client.getPayment({ paymentId: "cancel-1" });
      assertSdkType("Payment", payment);
      assert(payment.status === "CANCELLED", payment.status);
      const hook = await receiver.next((w) => w.body.includes("cancel-1") && w.body.includes("Transaction.Cancelled"));
      const verified = await PortOneWebhook.verify(webhookSecret, hook.body, hook.headers);
      assertSdkType("Webhook", verified);
      assert(verified.data.cancellationId === answer.cancellation.id, JSON.stringify(verified));
      await expectError(client.cancelPayment({ paymentId: "cancel-1", reason: "again" }),
        "PAYMENT_ALREADY_CANCELLED", "PaymentAlreadyCancelledError");
    });
    await check("cancelling a READY payment is PAYMENT_NOT_PAID", () =>
      expectError(client.cancelPayment({ paymentId: "read-0", reason: "x" }), "PAYMENT_NOT_PAID", "PaymentNotPaidError"));

    await check("the SDK's Webhook.verify accepts the sandbox's Transaction.Paid and rejects a changed body", async () => {
      await control("/_sandbox/payments", { id: "hook-1", status: "READY", amount: 1000, noticeUrl: receiver.url });
      await control("/_sandbox/payments/hook-1/pay");
      const hook = await receiver.next((w) => w.body.includes("hook-1") && w.body.includes("Transaction.Paid"));
      const verified = await PortOneWebhook.verify(webhookSecret, hook.body, hook.headers);
      assertSdkType("Webhook", verified);
      assert(verified.type === "Transaction.Paid" && verified.data.paymentId === "hook-1", JSON.stringify(verified));
      let rejected = null;
      try {
        await PortOneWebhook.verify(webhookSecret, hook.body.replace("hook-1", "hook-2"), hook.headers);
      } catch (error) {
        rejected = error;
      }
      assert(rejected instanceof PortOneWebhook.WebhookVerificationError && rejected.reason === "NO_MATCHING_SIGNATURE",
        `expected NO_MATCHING_SIGNATURE, got ${rejected}`);
    });
    await check("the SDK's Webhook.verify accepts the sandbox's Transaction.Failed", async () => {
      await control("/_sandbox/payments", { id: "hook-2", status: "READY", amount: 1000, noticeUrl: receiver.url });
      await control("/_sandbox/payments/hook-2/fail", { reason: "declined" });
      const hook = await receiver.next((w) => w.body.includes("hook-2"));
      const verified = await PortOneWebhook.verify(webhookSecret, hook.body, hook.headers);
      assert(verified.type === "Transaction.Failed", JSON.stringify(verified));
      assertSdkType("Payment", await client.getPayment({ paymentId: "hook-2" }));
    });

    await control("/_sandbox/billing-keys", { billingKey: "bk-conf", customerId: "user-9", script: ["decline"] });
    const charge = { billingKey: "bk-conf", orderName: "월간 이용권", amount: { total: 39000 }, currency: "KRW", customer: { id: "user-9" } };
    await check("payWithBillingKey: a declined card is PG_PROVIDER, then the charge succeeds", async () => {
      await expectError(client.payWithBillingKey({ paymentId: "bk-pay-1", ...charge }), "PG_PROVIDER", "PgProviderError");
      const answer = await client.payWithBillingKey({ paymentId: "bk-pay-2", ...charge });
      assertSdkType("PayWithBillingKeyResponse", answer);
      const payment = await client.getPayment({ paymentId: "bk-pay-2" });
      assertSdkType("Payment", payment);
      assert(payment.status === "PAID" && payment.billingKey === "bk-conf", JSON.stringify(payment));
      await expectError(client.payWithBillingKey({ paymentId: "bk-pay-2", ...charge }), "ALREADY_PAID", "AlreadyPaidError");
      await expectError(client.payWithBillingKey({ paymentId: "bk-pay-3", ...charge, billingKey: "bk-none" }),
        "BILLING_KEY_NOT_FOUND", "BillingKeyNotFoundError");
    });

    await check("getBillingKeyInfo reads ISSUED and DELETED keys; an unknown key is BILLING_KEY_NOT_FOUND", async () => {
      await control("/_sandbox/billing-keys", { billingKey: "bk-info", customerId: "user-9", cardNumber: "1234567812345678" });
      const issued = await client.billingKey.getBillingKeyInfo({ billingKey: "bk-info" });
      assertSdkType("BillingKeyInfo", issued);
      assert(issued.status === "ISSUED" && issued.customer.id === "user-9" &&
        issued.methods[0].card.number === "123456******5678", JSON.stringify(issued));
      await control("/_sandbox/billing-keys", { billingKey: "bk-info-gone", customerId: "user-9", deleted: true });
      const deleted = await client.billingKey.getBillingKeyInfo({ billingKey: "bk-info-gone" });
      assertSdkType("BillingKeyInfo", deleted);
      assert(deleted.status === "DELETED" && deleted.deletedAt, JSON.stringify(deleted));
      await expectError(client.billingKey.getBillingKeyInfo({ billingKey: "bk-none" }),
        "BILLING_KEY_NOT_FOUND", "BillingKeyNotFoundError");
    });

    await check("createPaymentSchedule, getPaymentSchedule, a duplicate, revokePaymentSchedules", async () => {
      const timeToPay = new Date(Date.now() + 86_400_000).toISOString();
      const created = await client.paymentSchedule.createPaymentSchedule({ paymentId: "sched-1", payment: charge, timeToPay });
      assertSdkType("CreatePaymentScheduleResponse", created);
      const schedule = await client.paymentSchedule.getPaymentSchedule({ paymentScheduleId: created.schedule.id });
      assertSdkType("PaymentSchedule", schedule);
      assert(schedule.status === "SCHEDULED" && schedule.paymentId === "sched-1", JSON.stringify(schedule));
      await expectError(client.paymentSchedule.createPaymentSchedule({ paymentId: "sched-1", payment: charge, timeToPay }),
        "PAYMENT_SCHEDULE_ALREADY_EXISTS", "PaymentScheduleAlreadyExistsError");
      const revoked = await client.paymentSchedule.revokePaymentSchedules({ scheduleIds: [created.schedule.id] });
      assertSdkType("RevokePaymentSchedulesResponse", revoked);
      assert(revoked.revokedScheduleIds[0] === created.schedule.id, JSON.stringify(revoked));
      const after = await client.paymentSchedule.getPaymentSchedule({ paymentScheduleId: created.schedule.id });
      assertSdkType("PaymentSchedule", after);
      assert(after.status === "REVOKED", after.status);
      await expectError(client.paymentSchedule.revokePaymentSchedules({ scheduleIds: [created.schedule.id] }),
        "PAYMENT_SCHEDULE_ALREADY_REVOKED", "PaymentScheduleAlreadyRevokedError");
    });

    await check("a schedule runs when the sandbox clock advances; its webhook verifies", async () => {
      const timeToPay = new Date(Date.now() + 3_600_000).toISOString();
      const created = await client.paymentSchedule.createPaymentSchedule({
        paymentId: "sched-2", payment: { ...charge, noticeUrls: [receiver.url] }, timeToPay });
      await control("/_sandbox/clock/advance", { seconds: 3700 });
      const hook = await receiver.next((w) => w.body.includes("sched-2"));
      const verified = await PortOneWebhook.verify(webhookSecret, hook.body, hook.headers);
      assert(verified.type === "Transaction.Paid", JSON.stringify(verified));
      const payment = await client.getPayment({ paymentId: "sched-2" });
      assertSdkType("Payment", payment);
      assert(payment.status === "PAID" && payment.scheduleId === created.schedule.id, JSON.stringify(payment));
      const schedule = await client.paymentSchedule.getPaymentSchedule({ paymentScheduleId: created.schedule.id });
      assertSdkType("PaymentSchedule", schedule);
      assert(schedule.status === "SUCCEEDED", schedule.status);
    });

    await check("getPayments pages the PAID payments of a range; resendWebhook until the limit", async () => {
      for (const id of ["list-1", "list-2", "list-3"]) {
        await control("/_sandbox/payments", { id, status: "PAID", noticeUrl: receiver.url });
      }
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const filter = { from, until, timestampType: "STATUS_CHANGED_AT", status: ["PAID"],
        sortBy: "STATUS_CHANGED_AT", sortOrder: "ASC" };
      const first = await client.getPayments({ page: { number: 0, size: 2 }, filter });
      assertSdkType("GetPaymentsResponse", first);
      assert(first.items.length === 2 && first.page.totalCount >= 3, JSON.stringify(first.page));
      assert(first.items.every((p) => p.status === "PAID"), JSON.stringify(first.items.map((p) => p.status)));
      const resent = await client.resendWebhook({ paymentId: "list-1" });
      assertSdkType("ResendWebhookResponse", resent);
      const hook = await receiver.next((w) => w.body.includes("list-1"));
      const verified = await PortOneWebhook.verify(webhookSecret, hook.body, hook.headers);
      assert(verified.type === "Transaction.Paid", JSON.stringify(verified));
      await control("/_sandbox/resend-limit", { limit: 1 });
      await expectError(client.resendWebhook({ paymentId: "list-1" }),
        "MAX_WEBHOOK_RETRY_COUNT_REACHED", "MaxWebhookRetryCountReachedError");
      await control("/_sandbox/resend-limit", { limit: -1 });
    });
  } finally {
    child.kill("SIGTERM");
    receiver.server.close();
  }
}

try {
  await verifierConformance();
  await sdkConformance();
} catch (error) {
  failures++;
  console.log(`not ok - setup: ${error.stack ?? error}`);
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures === 0 && passes > 0 ? 0 : 1);
