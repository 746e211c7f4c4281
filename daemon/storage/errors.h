// storage/errors.h: the only exceptions that leave daemon/storage/.
//
// Every driver error is classified here, at the store boundary, so the pipeline
// can decide without knowing Poco: Duplicate (a uniqueness rule held),
// Transient (an outage: answer 503, refund nothing), Invalid (a write broke a
// rule other than uniqueness) and Error for anything else.
#pragma once

#include <stdexcept>
#include <string>

#include "config/database_url.h"  // Backend

namespace Poco {
class Exception;
}

namespace paymentd::storage {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A unique constraint rejected the write (one fulfilment per payment, ...).
class Duplicate : public Error {
 public:
  using Error::Error;
};

/// The database is unreachable, restarted, timed out, locked, or asked for a
/// retry (serialization failure, deadlock). Trying again later may succeed.
class Transient : public Error {
 public:
  using Error::Error;
};

/// A write broke a foreign key, check or not-null rule: retrying cannot help.
class Invalid : public Error {
 public:
  using Error::Error;
};

/// The database's schema is newer than this build knows; what() is one line.
class SchemaTooNew : public Error {
 public:
  using Error::Error;
};

/// What a driver error means. `lost_connection` is set when the session that
/// raised it must not be reused.
struct Classified {
  enum class Kind { kDuplicate = 1, kTransient, kInvalid, kOther };
  Kind kind = Kind::kOther;
  bool lost_connection = false;
  std::string message;  // one line, no SQL parameters
};

Classified classify(const Poco::Exception& error, Backend backend);

/// Throws the storage exception for a classified error.
[[noreturn]] void raise(const Classified& classified);

}  // namespace paymentd::storage
