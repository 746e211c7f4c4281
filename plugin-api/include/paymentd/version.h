// paymentd/version.h: the plugin API version a plugin is built against.
//
// Compatibility rule the host enforces when it loads a plugin:
//   - the major versions must be equal;
//   - the plugin's minor version must not be newer than the host's.
// A minor bump only appends: new headers, new free functions, new virtual
// functions at the END of StoreWriter (not StoreReader: StoreWriter derives
// from it, so a function appended there would move StoreWriter's vtable
// slots under plugins built before), new data members at the END of a struct the host builds and
// hands to plugins by const reference (Notification, PaymentContext), new members at the END
// of a request struct plugins serialize with an inline SDK function
// (NoticeRequest). Anything else is a major bump.
//
// History: 1.0 first release; 1.1 Notification::recipient_phone,
// NoticeRequest::recipient_subscription_id, maskPhone(),
// PaymentContext::scheduled_amount, renewalSchedule(); the host ignores
// SchedulePaymentRequest::payment_type (recurring.payment_type decides);
// 1.2 StoreWriter::schedulePayment() and sendNotice(): the host owns the
// outbox's format and keeps a ledger of what was scheduled (toOutboxItem()
// and enqueueOutbox() stay for plugins built before).
#pragma once

#include <cstdint>

#define PAYMENTD_PLUGIN_API_VERSION_MAJOR 1
#define PAYMENTD_PLUGIN_API_VERSION_MINOR 2

namespace paymentd {

struct ApiVersion {
  std::uint16_t major;
  std::uint16_t minor;
};

inline constexpr ApiVersion kPluginApiVersion{PAYMENTD_PLUGIN_API_VERSION_MAJOR,
                                              PAYMENTD_PLUGIN_API_VERSION_MINOR};

/// @return whether a plugin built against `plugin` may be loaded by a host at `host`.
constexpr bool isCompatible(ApiVersion host, ApiVersion plugin) {
  return plugin.major == host.major && plugin.minor <= host.minor;
}

}  // namespace paymentd
