#include "storage/portone_version.h"

#include "storage/errors.h"

namespace paymentd::storage {

const char* portOneVersionName(PortOneVersion version) {
  return version == PortOneVersion::kV1 ? "V1" : "V2";
}

PortOneVersion portOneVersionFrom(const std::string& name) {
  if (name == "V1") return PortOneVersion::kV1;
  if (name == "V2") return PortOneVersion::kV2;
  throw Error("unknown PortOne version '" + name + "' in the database");
}

}  // namespace paymentd::storage
