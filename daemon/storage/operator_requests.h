// storage/operator_requests.h: the answers of operator requests, kept under
// their Idempotency-Key, so the same request repeated gets the first answer
// byte for byte and another request under the same key is refused.
#pragma once

#include <optional>
#include <string>

#include "storage/database.h"

namespace paymentd::storage {

struct OperatorAnswer {
  std::string fingerprint;  // what was asked: operation, target and body
  int status = 200;         // the HTTP status the answer was given with
  std::string body;
};

std::optional<OperatorAnswer> findOperatorAnswer(Database& database, const std::string& key);

/// Keeps `answer` under `key` unless an answer is kept already (a concurrent
/// request finished first). @return the answer kept under the key.
OperatorAnswer keepOperatorAnswer(Database& database, const std::string& key,
                                  const OperatorAnswer& answer, const std::string& actor);

}  // namespace paymentd::storage
