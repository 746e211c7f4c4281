#include "storage/errors.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Exception.h>

#include <array>
#include <string_view>

namespace paymentd::storage {
namespace {

bool contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

// Poco's PostgreSQL connector has no SQLSTATE accessor; the code is only in
// the text, as "State: 23505".
std::string sqlState(const std::string& text) {
  const auto at = text.find("State: ");
  if (at == std::string::npos || at + 12 > text.size()) return {};
  return text.substr(at + 7, 5);
}

std::string oneLine(const std::string& text) {
  std::string line;
  line.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

// libpq's wording when the socket is gone (server restart, network loss); over TLS the
// same loss reads "SSL connection has been closed unexpectedly" or "SSL SYSCALL".
bool looksDisconnected(const std::string& text) {
  static constexpr std::array<std::string_view, 10> kSigns = {"server closed the connection",
                                                              "no connection to the server",
                                                              "terminating connection",
                                                              "could not receive data",
                                                              "could not send data",
                                                              "Connection Error",
                                                              "connection not open",
                                                              "not connected",
                                                              "SSL SYSCALL",
                                                              "SSL connection has been closed"};
  for (const auto sign : kSigns) {
    if (contains(text, sign)) return true;
  }
  return false;
}

Classified classifyPostgres(const Poco::Exception& error, const std::string& text) {
  Classified out;
  const std::string state = sqlState(text);
  if (state == "23505") {
    out.kind = Classified::Kind::kDuplicate;
  } else if (state.rfind("23", 0) == 0) {
    out.kind = Classified::Kind::kInvalid;
  } else if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014" ||
             state == "53300") {
    out.kind =
        Classified::Kind::kTransient;  // retry: serialization, deadlock, lock or statement timeout
  } else if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || looksDisconnected(text) ||
             dynamic_cast<const Poco::Data::ConnectionFailedException*>(&error) != nullptr) {
    out.kind = Classified::Kind::kTransient;
    out.lost_connection = true;
  }
  return out;
}

Classified classifySqlite(const Poco::Exception& error, const std::string& text) {
  namespace sq = Poco::Data::SQLite;
  Classified out;
  if (dynamic_cast<const sq::ConstraintViolationException*>(&error) != nullptr) {
    out.kind = contains(text, "UNIQUE constraint failed") ? Classified::Kind::kDuplicate
                                                          : Classified::Kind::kInvalid;
  } else if (dynamic_cast<const sq::DBLockedException*>(&error) != nullptr ||
             dynamic_cast<const sq::TableLockedException*>(&error) != nullptr ||
             contains(text, "database is locked") || contains(text, "database table is locked")) {
    out.kind = Classified::Kind::kTransient;
  } else if (dynamic_cast<const sq::IOErrorException*>(&error) != nullptr ||
             dynamic_cast<const sq::CantOpenDBFileException*>(&error) != nullptr ||
             dynamic_cast<const sq::DatabaseFullException*>(&error) != nullptr ||
             dynamic_cast<const Poco::Data::ConnectionFailedException*>(&error) != nullptr) {
    out.kind = Classified::Kind::kTransient;
    out.lost_connection = true;
  }
  return out;
}

}  // namespace

Classified classify(const Poco::Exception& error, Backend backend) {
  const std::string text = error.displayText();
  Classified out;
  if (dynamic_cast<const Poco::Data::SessionPoolExhaustedException*>(&error) != nullptr ||
      dynamic_cast<const Poco::Data::SessionUnavailableException*>(&error) != nullptr ||
      dynamic_cast<const Poco::Data::NotConnectedException*>(&error) != nullptr) {
    out.kind = Classified::Kind::kTransient;
    out.lost_connection = true;
  } else {
    out =
        backend == Backend::kPostgres ? classifyPostgres(error, text) : classifySqlite(error, text);
  }
  out.message = oneLine(text);
  return out;
}

void raise(const Classified& classified) {
  switch (classified.kind) {
    case Classified::Kind::kDuplicate:
      throw Duplicate(classified.message);
    case Classified::Kind::kTransient:
      throw Transient(classified.message);
    case Classified::Kind::kInvalid:
      throw Invalid(classified.message);
    case Classified::Kind::kOther:
      break;
  }
  throw Error(classified.message);
}

}  // namespace paymentd::storage
