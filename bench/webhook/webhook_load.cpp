// bench/webhook: the load side of the webhook benchmark. Creates paid
// FIRST_BILLING payments in the PortOne sandbox, then sends signed
// `Transaction.Paid` webhooks to a running paymentd and prints what it measured
// as one `key=value` line. bench/webhook/run.sh starts the servers and drives it.
//
//   webhook_load unique --paymentd=PORT --sandbox=PORT --secret-file=F --store-id=S
//                       --prefix=P [--count=1000] [--concurrency=16]
//       N distinct payments (distinct users), one webhook each, C connections.
//   webhook_load copies --paymentd=PORT --sandbox=PORT --secret-file=F --store-id=S
//                       --prefix=P [--copies=100] [--concurrency=16] [--singles=5]
//       `singles` fresh payments sent one at a time (the cost of one webhook),
//       then one fresh payment whose webhook is sent `copies` times over C
//       connections at once, then another sent `copies` times one after another.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "portone/webhook_signature.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kPlan = "monthly-4";  // config/plans.yaml: 59000 KRW, 1 month
constexpr std::int64_t kPlanPrice = 59000;
// Bounds on every loop: no request may hang the run.
constexpr int kTimeoutSeconds = 30;
constexpr int kMaxCount = 1'000'000;
constexpr int kMaxConcurrency = 1024;

struct Options {
  std::string mode;
  int paymentd_port = 0;
  int sandbox_port = 0;
  std::string secret_file;
  std::string store_id;
  std::string prefix;
  int count = 1000;
  int concurrency = 16;
  int copies = 100;
  int singles = 5;
};

// One webhook as PortOne would send it: the signed headers and the query claims.
struct Webhook {
  std::string path;
  std::string body;
  std::string id;
  std::string timestamp;
  std::string signature;
};

struct Answer {
  int status = 0;  // 0: no answer (transport error)
  std::string body;
};

struct Sample {
  double ms;
  int status;
  std::string outcome;
};

int intOption(const std::string& value, const std::string& name, int low, int high) {
  std::size_t used = 0;
  const int parsed = std::stoi(value, &used);
  if (used != value.size() || parsed < low || parsed > high) {
    throw std::invalid_argument("--" + name + " must be an integer in " + std::to_string(low) +
                                ".." + std::to_string(high));
  }
  return parsed;
}

Options parseOptions(int argc, char** argv) {
  if (argc < 2) throw std::invalid_argument("usage: webhook_load unique|copies --option=value...");
  Options options;
  options.mode = argv[1];
  if (options.mode != "unique" && options.mode != "copies") {
    throw std::invalid_argument("unknown mode '" + options.mode + "' (unique or copies)");
  }
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      throw std::invalid_argument("bad argument '" + arg + "' (expected --name=value)");
    }
    const std::string name = arg.substr(2, eq - 2);
    const std::string value = arg.substr(eq + 1);
    if (name == "paymentd") {
      options.paymentd_port = intOption(value, name, 1, 65535);
    } else if (name == "sandbox") {
      options.sandbox_port = intOption(value, name, 1, 65535);
    } else if (name == "secret-file") {
      options.secret_file = value;
    } else if (name == "store-id") {
      options.store_id = value;
    } else if (name == "prefix") {
      options.prefix = value;
    } else if (name == "count") {
      options.count = intOption(value, name, 1, kMaxCount);
    } else if (name == "concurrency") {
      options.concurrency = intOption(value, name, 1, kMaxConcurrency);
    } else if (name == "copies") {
      options.copies = intOption(value, name, 1, kMaxCount);
    } else if (name == "singles") {
      options.singles = intOption(value, name, 1, 1000);
    } else {
      throw std::invalid_argument("unknown option --" + name);
    }
  }
  if (options.paymentd_port == 0 || options.sandbox_port == 0 || options.secret_file.empty() ||
      options.store_id.empty() || options.prefix.empty()) {
    throw std::invalid_argument(
        "--paymentd, --sandbox, --secret-file, --store-id and --prefix are required");
  }
  return options;
}

std::string readSecret(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw std::runtime_error("cannot read " + path);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// A keep-alive connection to one server; reconnects once if the server closed it.
class Connection {
 public:
  explicit Connection(int port) : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(kTimeoutSeconds, 0));
  }

  Answer call(const std::string& method, const std::string& path, const std::string& body,
              const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        request.setContentType("application/json");
        for (const auto& [name, value] : headers) request.set(name, value);
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        session_.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session_.receiveResponse(response);
        Answer answer;
        answer.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, answer.body);
        return answer;
      } catch (const Poco::Exception&) {
        session_.reset();
      }
    }
    return Answer{};
  }

 private:
  Poco::Net::HTTPClientSession session_;
};

std::string userFor(const std::string& payment_id) {
  return "u-" + payment_id;
}

void createPaidPayment(Connection& sandbox, const std::string& payment_id) {
  const std::string body = R"({"id":")" + payment_id + R"(","status":"PAID","amount":)" +
                           std::to_string(kPlanPrice) + R"(,"method":"card","billingKey":"bk-)" +
                           payment_id + R"(","customerId":")" + userFor(payment_id) + R"("})";
  const Answer answer = sandbox.call("POST", "/_sandbox/payments", body);
  if (answer.status != 201) {
    throw std::runtime_error("sandbox refused payment " + payment_id + ": " +
                             std::to_string(answer.status) + " " + answer.body);
  }
}

Webhook signedWebhook(const std::string& key, const std::string& store_id,
                      const std::string& payment_id) {
  Webhook webhook;
  webhook.path = "/api/v1/payment/webhook?user_id=" + userFor(payment_id) +
                 "&subscribe_id=" + kPlan + "&payment_type=FIRST_BILLING";
  webhook.body = R"({"type":"Transaction.Paid","timestamp":"2026-11-24T10:00:00.000Z","data":{)"
                 R"("paymentId":")" +
                 payment_id + R"(","storeId":")" + store_id + R"(","transactionId":"tx-)" +
                 payment_id + R"("}})";
  webhook.timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
  webhook.id = "msg-" + payment_id;
  webhook.signature =
      paymentd::portone::webhookSignatureEntry(key, webhook.id, webhook.timestamp, webhook.body);
  return webhook;
}

// The `status` field of paymentd's answer: fulfilled, already_fulfilled, ...
std::string outcomeOf(const Answer& answer) {
  const std::string marker = R"("status":")";
  const auto at = answer.body.find(marker);
  if (at == std::string::npos) return answer.status == 0 ? "no_answer" : "unknown";
  const auto start = at + marker.size();
  return answer.body.substr(start, answer.body.find('"', start) - start);
}

Sample send(Connection& paymentd, const Webhook& webhook) {
  const auto started = SteadyClock::now();
  const Answer answer = paymentd.call("POST", webhook.path, webhook.body,
                                      {{"webhook-id", webhook.id},
                                       {"webhook-timestamp", webhook.timestamp},
                                       {"webhook-signature", webhook.signature}});
  const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count();
  return Sample{ms, answer.status, outcomeOf(answer)};
}

// Sends every webhook once over `concurrency` connections; returns the samples
// and the wall time from the first send to the last answer.
std::vector<Sample> sendAll(int port, const std::vector<Webhook>& webhooks, int concurrency,
                            double& wall_seconds) {
  std::atomic<std::size_t> next{0};
  std::mutex merge;
  std::vector<Sample> samples;
  samples.reserve(webhooks.size());
  const int threads = std::min<int>(concurrency, static_cast<int>(webhooks.size()));
  std::vector<std::unique_ptr<Connection>> connections;
  for (int t = 0; t < threads; ++t) connections.push_back(std::make_unique<Connection>(port));
  const auto started = SteadyClock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<Sample> mine;
      for (std::size_t i = next++; i < webhooks.size(); i = next++) {
        mine.push_back(send(*connections[static_cast<std::size_t>(t)], webhooks[i]));
      }
      std::lock_guard guard(merge);
      samples.insert(samples.end(), mine.begin(), mine.end());
    });
  }
  for (auto& worker : workers) worker.join();
  wall_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return samples;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

std::string outcomes(const std::vector<Sample>& samples) {
  std::map<std::string, int> counts;
  for (const auto& s : samples) ++counts[std::to_string(s.status) + ":" + s.outcome];
  std::ostringstream out;
  bool first = true;
  for (const auto& [name, n] : counts) {
    out << (first ? "" : ",") << name << "=" << n;
    first = false;
  }
  return out.str();
}

// CPU time this process used so far (user + system), in ms.
double ownCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) * 1000 + static_cast<double>(tv.tv_usec) / 1000;
  };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

std::vector<double> latencies(const std::vector<Sample>& samples) {
  std::vector<double> ms;
  for (const auto& s : samples) ms.push_back(s.ms);
  return ms;
}

void createPayments(int sandbox_port, const std::vector<std::string>& ids, int concurrency) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  std::mutex error_mutex;
  std::string error;
  for (int t = 0; t < std::min<int>(concurrency, static_cast<int>(ids.size())); ++t) {
    workers.emplace_back([&] {
      Connection sandbox(sandbox_port);
      try {
        for (std::size_t i = next++; i < ids.size(); i = next++) createPaidPayment(sandbox, ids[i]);
      } catch (const std::exception& e) {
        std::lock_guard guard(error_mutex);
        error = e.what();
        next = ids.size();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  if (!error.empty()) throw std::runtime_error(error);
}

int runUnique(const Options& options, const std::string& key) {
  std::vector<std::string> ids;
  for (int i = 0; i < options.count; ++i) ids.push_back(options.prefix + "-" + std::to_string(i));
  createPayments(options.sandbox_port, ids, options.concurrency);
  std::vector<Webhook> webhooks;
  for (const auto& id : ids) webhooks.push_back(signedWebhook(key, options.store_id, id));

  double wall = 0;
  const double cpu_before = ownCpuMs();
  const auto samples = sendAll(options.paymentd_port, webhooks, options.concurrency, wall);
  const double client_cpu_ms = (ownCpuMs() - cpu_before) / static_cast<double>(samples.size());
  const auto ms = latencies(samples);
  const auto fulfilled = std::count_if(samples.begin(), samples.end(), [](const Sample& s) {
    return s.status == 200 && s.outcome == "fulfilled";
  });
  std::cout << std::fixed << std::setprecision(2) << "mode=unique count=" << options.count
            << " concurrency=" << options.concurrency << " seconds=" << wall
            << " webhooks_per_s=" << static_cast<double>(samples.size()) / wall
            << " p50_ms=" << percentile(ms, 0.50) << " p99_ms=" << percentile(ms, 0.99)
            << " max_ms=" << percentile(ms, 1.0) << " cpu_ms_client=" << std::setprecision(3)
            << client_cpu_ms << std::setprecision(2) << " fulfilled=" << fulfilled
            << " answers=" << outcomes(samples) << "\n";
  return fulfilled == options.count ? 0 : 1;
}

int runCopies(const Options& options, const std::string& key) {
  std::vector<std::string> singles;
  for (int i = 0; i < options.singles; ++i) {
    singles.push_back(options.prefix + "-single-" + std::to_string(i));
  }
  const std::string stormed = options.prefix + "-storm";
  const std::string repeated = options.prefix + "-repeated";
  std::vector<std::string> all = singles;
  all.push_back(stormed);
  all.push_back(repeated);
  createPayments(options.sandbox_port, all, 1);

  // One webhook: each single sent alone on a fresh connection, as PortOne does.
  std::vector<double> single_ms;
  for (const auto& id : singles) {
    double wall = 0;
    const auto samples =
        sendAll(options.paymentd_port, {signedWebhook(key, options.store_id, id)}, 1, wall);
    if (samples.front().outcome != "fulfilled") {
      throw std::runtime_error("single " + id + " answered " + samples.front().outcome);
    }
    single_ms.push_back(wall * 1000);
  }
  const double one_ms = percentile(single_ms, 0.5);

  // The same webhook (same id, timestamp, signature, body) `copies` times at once.
  const std::vector<Webhook> storm(static_cast<std::size_t>(options.copies),
                                   signedWebhook(key, options.store_id, stormed));
  double storm_wall = 0;
  const auto storm_samples = sendAll(options.paymentd_port, storm, options.concurrency, storm_wall);

  // And one after another on one connection: the sum of what each copy costs.
  const std::vector<Webhook> serial(static_cast<std::size_t>(options.copies),
                                    signedWebhook(key, options.store_id, repeated));
  double serial_wall = 0;
  const auto serial_samples = sendAll(options.paymentd_port, serial, 1, serial_wall);
  const auto serial_ms = latencies(serial_samples);
  // The first copy of the serial run fulfils; the others find it done.
  const double duplicate_ms =
      percentile(std::vector<double>(serial_ms.begin() + 1, serial_ms.end()), 0.5);

  std::cout << std::fixed << std::setprecision(2) << "mode=copies copies=" << options.copies
            << " concurrency=" << options.concurrency << " one_ms=" << one_ms
            << " storm_ms=" << storm_wall * 1000 << " storm_ratio=" << storm_wall * 1000 / one_ms
            << " serial_ms=" << serial_wall * 1000
            << " serial_ratio=" << serial_wall * 1000 / one_ms
            << " duplicate_p50_ms=" << duplicate_ms << " storm_answers=" << outcomes(storm_samples)
            << " serial_answers=" << outcomes(serial_samples) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parseOptions(argc, argv);
    const auto key = paymentd::portone::decodeWebhookSecret(readSecret(options.secret_file));
    if (!key) throw std::runtime_error(options.secret_file + ": not a whsec_ Base64 secret");
    return options.mode == "unique" ? runUnique(options, *key) : runCopies(options, *key);
  } catch (const std::exception& e) {
    std::cerr << "webhook_load: " << e.what() << "\n";
    return 2;
  }
}
