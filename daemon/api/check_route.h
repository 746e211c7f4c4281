// api/check_route.h: GET /api/v1/payment/check/{paymentId}, polled by the
// browser once a second: one read of the database, never a PortOne call.
#pragma once

#include "http/router.h"
#include "storage/database.h"

namespace paymentd::api {

void addCheckRoute(http::Router& router, storage::Database& database);

}  // namespace paymentd::api
