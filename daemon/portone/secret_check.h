// portone/secret_check.h: --check-config's look at the PortOne secret files.
#pragma once

#include "config/config.h"
#include "config/config_problems.h"

namespace paymentd::portone {

/// Reports, at the config key, each secret file (V2's, and V1's key and secret when
/// `portone.v1` is set) that cannot be read, is empty, or (webhook secrets) is not
/// "whsec_" + Base64. Never reports the content.
void checkSecretFiles(const config::PortOneConfig& config, config::ConfigProblems& problems);

}  // namespace paymentd::portone
