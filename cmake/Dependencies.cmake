# Every dependency comes from Debian packages (scripts/setup.sh installs them); each
# shim below says why it exists.

# Poco's DataPostgreSQL config links "PostgreSQL::client", which nothing defines.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()

find_package(Poco 1.11 REQUIRED COMPONENTS
  Foundation Util Net NetSSL Crypto JSON Data DataSQLite DataPostgreSQL)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(prometheus-cpp REQUIRED)   # no version file in Debian; prometheus-cpp::core
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(Threads REQUIRED)

# Debian's HiredisConfig.cmake defines no target and breaks without a version.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis>=0.14)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)

if(PAYMENTD_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
