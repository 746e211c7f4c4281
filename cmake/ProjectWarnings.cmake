# Warnings for our own targets only, PRIVATE, never exported to plugin authors.
function(paymentd_project_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(PAYMENTD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
