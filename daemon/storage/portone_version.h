// storage/portone_version.h: which PortOne API a subscription's billing key belongs to,
// and so which one its schedules go through (subscriptions.portone_version and
// payment_schedules.portone_version, docs/schema.md).
#pragma once

#include <string>

namespace paymentd::storage {

enum class PortOneVersion {
  kV2 = 1,  // a V2 billing key: every subscription paymentd creates itself
  kV1,      // a V1 (Iamport) customer_uid, brought in by `subscription import`
};

/// "V1" or "V2", as the columns hold it.
const char* portOneVersionName(PortOneVersion version);
/// @throws Error for a name the columns never hold.
PortOneVersion portOneVersionFrom(const std::string& name);

}  // namespace paymentd::storage
