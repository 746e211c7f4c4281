// api/admin_routes.h: the operator API on the admin listener (docs/operators.md):
// look-ups and the subscription lifecycle's writes, over HTTP.
//
// Every request carries `Authorization: Bearer <token>` (compared in constant
// time; anything else is 401, and the attempt is logged without the token).
// Writes carry `Idempotency-Key: "<key>"` and `X-Actor`; the operation itself
// and its idempotency are lifecycle::OperatorService's, which the command line
// calls too. Only the admin listener's router gets these routes.
#pragma once

#include <string>

#include "http/router.h"
#include "lifecycle/operator_service.h"

namespace paymentd::api {

void addAdminRoutes(http::Router& router, const lifecycle::OperatorService& operators,
                    std::string token);

/// What stands inside the quotes of an RFC 8941 string (`"abc"` -> abc); a
/// bare token is taken as it is. nullopt for an unterminated or empty string.
std::optional<std::string> idempotencyKeyOf(const std::string& header);

/// Equal, in time that depends on neither content nor length.
bool sameToken(const std::string& given, const std::string& expected);

}  // namespace paymentd::api
