// storage/sweep_cursor.h: where the payment sweep is in PortOne's list of paid
// payments, shared by every daemon on the database.
//
// One daemon pages at a time: it claims the cursor for a lease, and every write
// names it, so a daemon whose lease ran out (it stalled, it died) changes nothing
// after another took over. A window is the range of paid times a pass pages
// through; its next page is saved only after a page was handled, so a crash
// mid-window looks at that page again, never skips it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace paymentd::storage {

struct SweepWindow {
  Timestamp from;   // inclusive
  Timestamp until;  // exclusive
  std::int64_t next_page = 0;
};

struct SweepCursor {
  std::optional<Timestamp> swept_until;  // every window before this was paged through
  std::optional<SweepWindow> window;     // the one being paged through, if any
};

/// Claims the cursor for `holder` until `lease_until` unless another holder's lease
/// runs past `now`. @return the cursor when `holder` holds it now, else nullopt.
std::optional<SweepCursor> claimSweepCursor(Database& database, const std::string& holder,
                                            Timestamp now, Timestamp lease_until);

/// The window `holder` pages through from now on (its next page included).
/// @return false when `holder` no longer holds the cursor (nothing changed).
bool saveSweepWindow(Database& database, const std::string& holder, const SweepWindow& window,
                     Timestamp lease_until);

/// The window is done: everything before `swept_until` was looked at.
bool finishSweepWindow(Database& database, const std::string& holder, Timestamp swept_until);

/// Lets another daemon claim the cursor at once.
void releaseSweepCursor(Database& database, const std::string& holder);

}  // namespace paymentd::storage
