#include "portone/secret_check.h"

#include "portone/secret_file.h"
#include "portone/webhook_signature.h"

namespace paymentd::portone {

namespace {

void checkReadable(const std::string& file, const config::SourceMark& mark, const std::string& key,
                   config::ConfigProblems& problems) {
  try {
    readSecretFile(file);
  } catch (const SecretFileError& e) {
    problems.add(mark, key + ": " + e.what());
  }
}

}  // namespace

void checkSecretFiles(const config::PortOneConfig& config, config::ConfigProblems& problems) {
  checkReadable(config.api_secret_file, config.api_secret_file_mark, "portone.api_secret_file",
                problems);
  if (config.v1) {
    checkReadable(config.v1->imp_key_file, config.v1->imp_key_file_mark, "portone.v1.imp_key_file",
                  problems);
    checkReadable(config.v1->imp_secret_file, config.v1->imp_secret_file_mark,
                  "portone.v1.imp_secret_file", problems);
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
