// bench/store: rows per second for lump-sum fulfilment (1 payment + 12 tickets
// + 1 trace event per payment) through paymentd's store on SQLite and PostgreSQL,
// and pgbench running the same statements against the same PostgreSQL server.
//
//   store_bench [--transactions=N] [--postgres="host=H port=P user=U"] [--pgbench=PATH]
// --postgres defaults to $PAYMENTD_TEST_POSTGRES; without it only SQLite runs.
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "storage/migrations.h"
#include "storage/payment_log.h"
#include "storage/plan_catalog.h"
#include "storage/time_codec.h"
#include "storage/transaction.h"

namespace {

using namespace paymentd;
using Clock = std::chrono::steady_clock;

constexpr int kTicketsPerPayment = 12;
constexpr int kRowsPerTransaction = 1 + kTicketsPerPayment + 1;
constexpr std::int64_t kMonthUs = 30LL * 24 * 3600 * 1'000'000;

std::map<std::string, std::string> keyValues(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    const auto eq = token.find('=');
    if (eq != std::string::npos) out[token.substr(0, eq)] = token.substr(eq + 1);
  }
  return out;
}

std::int64_t seedSubscription(storage::Database& database) {
  storage::migrate(database);
  storage::syncPlanCatalog(database, {Plan{"yearly", "Yearly", 89000, 12, 8, false}});
  storage::Transaction tx(database);
  auto id = tx.store().createSubscription(
      {"bench-user", "yearly", false, std::nullopt, Timestamp(), Timestamp(), std::nullopt});
  if (!id) throw std::runtime_error("seed: " + id.error().message());
  tx.commit();
  return *id;
}

// One lump-sum fulfilment as the pipeline will do it: the payment row (the
// guard), 12 tickets in one statement, one trace event, one commit.
double runStore(storage::Database& database, std::int64_t subscription, int first,
                int transactions) {
  storage::PaymentLog log(database);
  const auto started = Clock::now();
  for (int i = first; i < first + transactions; ++i) {
    const std::string payment_id = "pay-" + std::to_string(i);
    storage::Transaction tx(database);
    tx.recordFulfilment({payment_id, "LUMP_SUM", "bench-user", "yearly", subscription, std::nullopt,
                         1068000, "KRW"});
    std::vector<NewTicket> tickets;
    for (int month = 0; month < kTicketsPerPayment; ++month) {
      const Timestamp start = storage::fromMicros(
          (static_cast<std::int64_t>(i) * kTicketsPerPayment + month) * kMonthUs);
      tickets.push_back({subscription, payment_id, start, start + std::chrono::hours(720), 8});
    }
    auto issued = tx.store().issueTickets(tickets);
    if (!issued || *issued != kTicketsPerPayment) throw std::runtime_error("tickets not issued");
    tx.commit();
    // The trace event is written in its own transaction, as the pipeline does.
    log.recordEvent({payment_id, database.now(), "committed", "ok", ""});
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return transactions * kRowsPerTransaction / seconds;
}

// The same statements as pgbench's custom script (simple protocol, 1 client).
std::string pgbenchScript() {
  std::ostringstream s;
  s << "\\set n random(1, 9000000000000)\n"
    << "BEGIN;\n"
    << "INSERT INTO payments (id, payment_type, user_id, plan_id, subscription_id, coupon_id, "
       "amount, "
       "currency, fulfilled_at_us) VALUES ('pay-' || :n, 'LUMP_SUM', 'bench-user', 'yearly', 1, "
       "NULL, "
       "1068000, 'KRW', :n);\n"
    << "INSERT INTO tickets (subscription_id, payment_id, period_start_us, period_end_us, lessons, "
       "created_at_us) VALUES ";
  for (int month = 0; month < kTicketsPerPayment; ++month) {
    s << (month == 0 ? "" : ", ") << "(1, 'pay-' || :n, :n::bigint * 100 + " << month
      << ", :n::bigint * 100 + " << month << " + 1, 8, :n)";
  }
  s << ";\n"
    << "END;\n"
    << "INSERT INTO payment_events (payment_id, at_us, stage, result, detail) VALUES ('pay-' || "
       ":n, :n, "
       "'committed', 'ok', '');\n";
  return s.str();
}

std::optional<double> runPgbench(const std::string& pgbench,
                                 const std::map<std::string, std::string>& server,
                                 const std::string& dbname, int transactions) {
  Poco::TemporaryFile script_file;
  {
    std::ofstream out(script_file.path());
    out << pgbenchScript();
  }
  std::vector<std::string> args = {"-n",
                                   "-c",
                                   "1",
                                   "-j",
                                   "1",
                                   "-t",
                                   std::to_string(transactions),
                                   "-f",
                                   script_file.path(),
                                   "-h",
                                   server.at("host"),
                                   "-p",
                                   server.at("port"),
                                   "-U",
                                   server.at("user"),
                                   dbname};
  Poco::Pipe out_pipe;
  Poco::ProcessHandle handle = Poco::Process::launch(pgbench, args, nullptr, &out_pipe, &out_pipe);
  Poco::PipeInputStream out(out_pipe);
  std::string text;
  Poco::StreamCopier::copyToString(out, text);
  if (handle.wait() != 0) {
    std::cerr << "pgbench failed:\n" << text;
    return std::nullopt;
  }
  std::smatch tps;
  if (!std::regex_search(text, tps,
                         std::regex("tps = ([0-9.]+) \\(without initial connection time\\)"))) {
    std::cerr << "no tps in pgbench output:\n" << text;
    return std::nullopt;
  }
  return std::stod(tps[1]) * kRowsPerTransaction;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string list(const std::vector<double>& values) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(0);
  for (std::size_t i = 0; i < values.size(); ++i) out << (i == 0 ? "" : " ") << values[i];
  return out.str();
}

void adminExecute(const std::string& server, const std::string& sql) {
  Poco::Data::PostgreSQL::Connector::registerConnector();
  Poco::Data::Session admin("PostgreSQL", server + " dbname=postgres");
  admin << sql, Poco::Data::Keywords::now;
}

}  // namespace

int main(int argc, char** argv) {
  int transactions = 1000;
  int rounds = 5;
  std::string postgres =
      std::getenv("PAYMENTD_TEST_POSTGRES") ? std::getenv("PAYMENTD_TEST_POSTGRES") : "";
  std::string pgbench = "/usr/lib/postgresql/15/bin/pgbench";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--transactions=", 0) == 0) transactions = std::stoi(arg.substr(15));
    if (arg.rfind("--postgres=", 0) == 0) postgres = arg.substr(11);
    if (arg.rfind("--pgbench=", 0) == 0) pgbench = arg.substr(10);
    if (arg.rfind("--rounds=", 0) == 0) rounds = std::max(1, std::stoi(arg.substr(9)));
  }
  std::cout << std::fixed << std::setprecision(0);
  std::cout << "lump-sum fulfilment: " << rounds << " rounds x " << transactions
            << " transactions x " << kRowsPerTransaction << " rows (1 payment + "
            << kTicketsPerPayment
            << " tickets in one transaction; 1 trace event in its own), 1 thread\n";
  try {
    const auto dir =
        std::filesystem::temp_directory_path() / ("store_bench_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
      auto sqlite = storage::Database::open("sqlite:" + (dir / "bench.db").string(), {});
      const std::int64_t subscription = seedSubscription(*sqlite);
      std::vector<double> rows;
      for (int round = 0; round < rounds; ++round) {
        rows.push_back(runStore(*sqlite, subscription, round * transactions, transactions));
      }
      std::cout << "sqlite     store:   median " << median(rows)
                << " rows/s (rounds: " << list(rows) << ")\n";
    }
    std::filesystem::remove_all(dir);
    if (postgres.empty()) {
      std::cout << "postgresql: skipped (set PAYMENTD_TEST_POSTGRES or --postgres)\n";
      return 0;
    }
    auto server = keyValues(postgres);
    const std::string dbname = "store_bench_" + std::to_string(::getpid());
    adminExecute(postgres, "CREATE DATABASE " + dbname);
    std::vector<double> store_rows;
    std::vector<double> pgbench_rows;
    {
      auto pg = storage::Database::open("postgresql://" + server["user"] + "@" + server["host"] +
                                            ":" + server["port"] + "/" + dbname,
                                        {});
      const std::int64_t subscription = seedSubscription(*pg);  // id 1, as the script assumes
      // Alternate the two, so load from other processes hits both alike.
      for (int round = 0; round < rounds; ++round) {
        store_rows.push_back(runStore(*pg, subscription, round * transactions, transactions));
        auto bench = runPgbench(pgbench, server, dbname, transactions);
        if (!bench) return 1;
        pgbench_rows.push_back(*bench);
      }
    }
    adminExecute(postgres, "DROP DATABASE " + dbname + " WITH (FORCE)");
    std::cout << "postgresql store:   median " << median(store_rows)
              << " rows/s (rounds: " << list(store_rows) << ")\n";
    std::cout << "postgresql pgbench: median " << median(pgbench_rows)
              << " rows/s (rounds: " << list(pgbench_rows)
              << "; same statements, simple protocol, 1 client)\n";
    std::cout << std::setprecision(2)
              << "ratio store/pgbench: " << median(store_rows) / median(pgbench_rows)
              << " (target >= 0.80)\n";
  } catch (const Poco::Exception& e) {
    std::cerr << "store_bench: " << e.displayText() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "store_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
