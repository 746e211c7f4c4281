# paymentd_room(NAME SOURCES file... [DEPENDS room...] [LIBS lib...])
#
# One room of daemon/ (an immediate subfolder) as the static library
# paymentd_room_<NAME>. The rooms depend one way, and the build enforces it:
# daemon/ itself is on no include path; each room exposes only its own headers,
# through ${CMAKE_BINARY_DIR}/rooms/<NAME>/include/<NAME> (a link to
# daemon/<NAME>), so a room sees exactly the headers of the rooms it links and
# `#include "higher_room/x.h"` fails to compile. A room may depend only on rooms
# defined before it, so the order of the calls is the layering and no cycle can
# form. SOURCES are relative to the room's folder; a room without SOURCES is
# headers only (an INTERFACE library), its implementation chosen per executable.
function(paymentd_room NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LIBS" ${ARGN})
  set(target paymentd_room_${NAME})
  set(include_dir "${CMAKE_BINARY_DIR}/rooms/${NAME}/include")
  file(MAKE_DIRECTORY "${include_dir}")
  file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${NAME}" "${include_dir}/${NAME}" SYMBOLIC)

  set(depends "")
  foreach(room IN LISTS ARG_DEPENDS)
    if(NOT TARGET paymentd_room_${room})
      message(FATAL_ERROR "room ${NAME} depends on ${room}, which is not a room defined before it")
    endif()
    list(APPEND depends paymentd_room_${room})
  endforeach()

  if(NOT ARG_SOURCES)
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE "${include_dir}")
    target_link_libraries(${target} INTERFACE paymentd::plugin-api ${depends} ${ARG_LIBS})
    set_property(GLOBAL APPEND PROPERTY PAYMENTD_ROOMS ${target})
    return()
  endif()
  list(TRANSFORM ARG_SOURCES PREPEND "${NAME}/")
  add_library(${target} STATIC ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC "${include_dir}")
  target_link_libraries(${target} PUBLIC paymentd::plugin-api ${depends} ${ARG_LIBS})
  paymentd_project_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY PAYMENTD_ROOMS ${target})
endfunction()
