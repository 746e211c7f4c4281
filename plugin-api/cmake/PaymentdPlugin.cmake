# paymentd_add_plugin(NAME SOURCES src... [OUTPUT_DIRECTORY dir] [NO_INSTALL])
#
# Builds a paymentd plugin: a MODULE library named NAME.so, linked against
# paymentd::plugin-api, with hidden symbols (only PAYMENTD_PLUGIN's descriptor
# is exported), C++20, and -Wl,--no-undefined so a missing symbol fails the
# link instead of the daemon. Installs into lib/paymentd/plugins unless NO_INSTALL.
function(paymentd_add_plugin NAME)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "paymentd_add_plugin(${NAME}): SOURCES is required")
  endif()
  add_library(${NAME} MODULE ${ARG_SOURCES})
  target_link_libraries(${NAME} PRIVATE paymentd::plugin-api)
  set_target_properties(${NAME} PROPERTIES
    PREFIX ""
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${NAME} PRIVATE "LINKER:--no-undefined")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${NAME} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  elseif(PAYMENTD_PLUGIN_DEFAULT_OUTPUT_DIR)
    set_target_properties(${NAME} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PAYMENTD_PLUGIN_DEFAULT_OUTPUT_DIR}")
  endif()
  if(NOT ARG_NO_INSTALL)
    if(NOT PAYMENTD_PLUGIN_INSTALL_DIR)
      set(PAYMENTD_PLUGIN_INSTALL_DIR "lib/paymentd/plugins")
    endif()
    install(TARGETS ${NAME} LIBRARY DESTINATION "${PAYMENTD_PLUGIN_INSTALL_DIR}" COMPONENT runtime)
  endif()
endfunction()
