#!/usr/bin/env bash
# usage: header_check.sh INCLUDE_DIR CXX
# Every SDK header includes only standard headers or other SDK headers, and
# compiles on its own with no include path but the SDK's.
set -euo pipefail
include=$1 cxx=$2
status=0
std_headers=" algorithm array cassert chrono cstddef cstdint cstdio exception functional map memory \
optional set span stdexcept string type_traits utility variant vector "
for header in "$include"/paymentd/*.h; do
  while read -r name; do
    if [[ $name == \"paymentd/* ]]; then continue; fi
    bare=${name//[<>]/}
    if [[ $std_headers != *" $bare "* ]]; then
      echo "$header includes $name, which is not a standard header"; status=1
    fi
  done < <(sed -n 's/^#include \([<"][^>"]*[>"]\).*/\1/p' "$header")
  # Self-contained: each header compiles as the first and only include.
  echo "#include \"paymentd/$(basename "$header")\"" |
    "$cxx" -std=c++20 -fsyntax-only -x c++ -I"$include" - || { echo "$header does not compile alone"; status=1; }
done
[ $status = 0 ] && echo "SDK headers: standard library only"
exit $status
