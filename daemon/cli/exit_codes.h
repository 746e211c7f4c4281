// cli/exit_codes.h: what `paymentd` exits with (sysexits.h's meanings), so scripts
// and systemd's RestartPreventExitStatus= can tell the cases apart.
#pragma once

namespace paymentd::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;        // the command ran and said no (unknown item, ...)
inline constexpr int kExitUsage = 64;        // EX_USAGE: bad command line
inline constexpr int kExitNoDatabase = 66;   // EX_NOINPUT: no paymentd database there yet
inline constexpr int kExitUnavailable = 75;  // EX_TEMPFAIL: the database did not answer
inline constexpr int kExitConfig = 78;       // EX_CONFIG: the config (or a file it names) is wrong

}  // namespace paymentd::cli
