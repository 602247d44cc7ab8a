# Installs the systemd unit, its options file and the zsh completions (install(SCRIPT), run at
# install time so that the paths follow the prefix actually installed to, also under CPack):
#   prefix /usr (the Debian package): /lib/systemd/system, /etc/default (Debian 12 keeps units in
#   /lib, which merged /usr makes the same directory as /usr/lib), /usr/share/zsh/vendor-completions
#   any other prefix (/usr/local from source): PREFIX/lib/systemd/system, PREFIX/etc/default,
#   PREFIX/share/zsh/site-functions (the directory zsh's fpath has for /usr/local)
# file(INSTALL) prepends $DESTDIR itself.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(LOADLINE_SYSCONFDIR /etc)
  set(unitdir /lib/systemd/system)
  set(zshdir /usr/share/zsh/vendor-completions)
else()
  set(LOADLINE_SYSCONFDIR ${CMAKE_INSTALL_PREFIX}/etc)
  set(unitdir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
  set(zshdir ${CMAKE_INSTALL_PREFIX}/share/zsh/site-functions)
endif()
set(LOADLINE_BINDIR ${CMAKE_INSTALL_PREFIX}/bin)
configure_file(${LOADLINE_PACKAGING_SOURCE_DIR}/systemd/loadline-serve.service.in
               ${LOADLINE_PACKAGING_BINARY_DIR}/loadline-serve.service @ONLY)
file(INSTALL ${LOADLINE_PACKAGING_BINARY_DIR}/loadline-serve.service DESTINATION ${unitdir}
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL ${LOADLINE_PACKAGING_SOURCE_DIR}/systemd/loadline-serve.default DESTINATION ${LOADLINE_SYSCONFDIR}/default
     RENAME loadline-serve PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL ${LOADLINE_PACKAGING_ZSH_FILES} DESTINATION ${zshdir}
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
