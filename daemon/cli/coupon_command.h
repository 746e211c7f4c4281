// cli/coupon_command.h: `paymentd --config=FILE coupon issue --user=U --discount=N [--id=ID]`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "config/config.h"

namespace paymentd::cli {

struct CouponIssueArgs {
  std::optional<std::string> user;
  std::optional<std::string> discount;
  std::optional<std::string> id;
};

/// Migrates the database if needed, inserts the coupon, prints its id on `out`.
/// Exit codes: 0 issued; 1 bad arguments, existing id or unusable database;
/// 75 (EX_TEMPFAIL) when the database is unreachable.
int issueCoupon(const config::Config& config, const CouponIssueArgs& args, std::ostream& out,
                std::ostream& err);

}  // namespace paymentd::cli
