cmake_policy(VERSION 3.25)
# cmake -DCORE_DIR=core -DRULES="timeline:timeline|format:format,timeline|..." -DSTAMP=file -P CheckLayers.cmake
#
# Fails when a file of core/N includes "core/M/..." and M is not N or a module N links
# (RULES: N:allowed,modules separated by |, built by core/CMakeLists.txt from the targets' links).
# Writes STAMP when every include is allowed.
string(REPLACE "|" ";" rules "${RULES}")
set(bad "")
foreach(rule IN LISTS rules)
  string(REPLACE ":" ";" parts "${rule}")
  list(GET parts 0 module)
  list(GET parts 1 allowed)
  string(REPLACE "," ";" allowed "${allowed}")
  file(GLOB files ${CORE_DIR}/${module}/*.h ${CORE_DIR}/${module}/*.cpp)
  foreach(f IN LISTS files)
    file(STRINGS ${f} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"core/[^/\"]+/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"core/([^/\"]+)/.*$" "\\1" used "${line}")
      if(NOT used IN_LIST allowed)
        file(RELATIVE_PATH rel ${CORE_DIR}/.. ${f})
        string(STRIP "${line}" line)
        string(APPEND bad "  ${rel}: ${line}  (core/${module} links only: ${allowed})\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" " " bad "${bad}")
  message(FATAL_ERROR "A core module includes a module it does not link (docs/layers.md):\n${bad}"
                      "Link the module in core/<module>/CMakeLists.txt if the layers allow it, or move the code.")
endif()
file(TOUCH ${STAMP})
