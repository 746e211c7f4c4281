// cli/database_errors.h: how every command reports what its database threw, with
// one wording and the exit codes of cli/exit_codes.h.
#pragma once

#include <exception>
#include <ostream>
#include <string>

#include "cli/exit_codes.h"
#include "storage/errors.h"
#include "storage/existing_database.h"

namespace paymentd::cli {

/// Runs `work` (which returns the command's exit code) and turns what it throws into
/// the command's answer: no database yet 66, the database not answering 75, anything
/// else 1, each as one "paymentd: ..." line on `err` (`failed` leads the last kind's).
template <typename Work>
int answeringDatabaseErrors(std::ostream& err, Work&& work, const std::string& failed = "") {
  try {
    return work();
  } catch (const storage::NoDatabase& e) {
    err << "paymentd: " << e.what() << "\n";
    return kExitNoDatabase;
  } catch (const storage::Transient& e) {
    err << "paymentd: database unavailable: " << e.what() << "\n";
    return kExitUnavailable;
  } catch (const std::exception& e) {
    err << "paymentd: " << failed << e.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace paymentd::cli
