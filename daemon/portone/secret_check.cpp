#include "portone/secret_check.h"

#include "portone/secret_file.h"
#include "portone/webhook_signature.h"

namespace paymentd::portone {

void checkSecretFiles(const config::PortOneConfig& config, config::ConfigProblems& problems) {
  try {
    readSecretFile(config.api_secret_file);
  } catch (const SecretFileError& e) {
    problems.add(config.api_secret_file_mark, std::string("portone.api_secret_file: ") + e.what());
  }
  for (std::size_t i = 0; i < config.webhook_secret_files.size(); ++i) {
    const std::string key = "portone.webhook_secret_files[" + std::to_string(i) + "]: ";
    const config::SourceMark mark = i < config.webhook_secret_file_marks.size()
                                        ? config.webhook_secret_file_marks[i]
                                        : config::SourceMark{};
    try {
      if (!decodeWebhookSecret(readSecretFile(config.webhook_secret_files[i]))) {
        problems.add(mark, key + config.webhook_secret_files[i] +
                               " does not hold a webhook secret (whsec_ followed by Base64)");
      }
    } catch (const SecretFileError& e) {
      problems.add(mark, key + e.what());
    }
  }
}

}  // namespace paymentd::portone
