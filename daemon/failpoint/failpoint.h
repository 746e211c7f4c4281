// failpoint/failpoint.h: named points where a test daemon can be killed.
//
// The rooms call hit() at the moments a crash matters most (docs/testing.md
// lists them). What a hit does is decided at link time, not by a flag: the
// shipped `paymentd` links failpoint_off.cpp, where hit() does nothing and no
// environment is read; only the test-only `paymentd-failpoints` (installed
// nowhere) links failpoint_kill.cpp, which SIGKILLs the process at the point
// PAYMENTD_FAILPOINT names. Safe to call from any thread.
#pragma once

namespace paymentd::failpoint {

// The points, by name (PAYMENTD_FAILPOINT=name or name:nth).
inline constexpr const char* kAfterCommit = "after_commit";      // before the answer
inline constexpr const char* kInTransaction = "in_transaction";  // fulfilment, before commit
inline constexpr const char* kAfterRefundIntent = "after_refund_intent";  // before the cancel
inline constexpr const char* kAfterCancel = "after_cancel";               // before it is marked
inline constexpr const char* kAfterNoticeSent = "after_notice_sent";  // before the item is marked
inline constexpr const char* kAfterScheduleSent = "after_schedule_sent";  // before it is marked
inline constexpr const char* kCancelNowRevoked = "cancel_now_revoked";    // before its commit

/// Passes the point `name` (one of the constants above).
void hit(const char* name);

}  // namespace paymentd::failpoint
