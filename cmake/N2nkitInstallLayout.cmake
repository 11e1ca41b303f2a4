# Where n2nkit installs what is not a program: man pages (compressed), systemd units, the
# supernode's configuration in /etc/n2n, example configurations and zsh completions.
include(GNUInstallDirs)
find_program(N2NKIT_GZIP gzip REQUIRED)

set(N2NKIT_SYSTEMD_UNIT_DIR "" CACHE PATH
    "systemd unit directory when installing to /usr (default: pkg-config systemd, else /lib/systemd/system)")
if(NOT N2NKIT_SYSTEMD_UNIT_DIR)
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_get_variable(N2NKIT_PC_UNIT_DIR systemd systemdsystemunitdir)
  endif()
  if(N2NKIT_PC_UNIT_DIR)
    set(N2NKIT_SYSTEMD_UNIT_DIR "${N2NKIT_PC_UNIT_DIR}" CACHE PATH "" FORCE)
  else()
    set(N2NKIT_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "" FORCE)
  endif()
endif()

# man-db reads gzip-compressed pages and Debian requires them; -n keeps the archive free of
# names and times, so a rebuild gives the same bytes.
function(n2nkit_install_man_page page section)
  get_filename_component(name "${page}" NAME)
  set(gz "${PROJECT_BINARY_DIR}/man/${name}.gz")
  add_custom_command(OUTPUT "${gz}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/man"
    COMMAND sh -c "\"$0\" -9n -c \"$1\" > \"$2\"" "${N2NKIT_GZIP}" "${page}" "${gz}"
    DEPENDS "${page}"
    VERBATIM)
  add_custom_target("man-${name}" ALL DEPENDS "${gz}")
  install(FILES "${gz}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${section}")
endfunction()

# Zsh completions are installed with the system files below because their directory depends
# on the prefix given at install time (Debian's zsh does not search /usr/share/zsh/site-functions).
function(n2nkit_add_zsh_completion file)
  set_property(GLOBAL APPEND PROPERTY N2NKIT_ZSH_COMPLETIONS "${file}")
endfunction()

# Called once every tool is declared: the section-5 pages, the example configurations, and the
# install-time script that places units, /etc/n2n and zsh completions.
function(n2nkit_install_system_files)
  foreach(page n2n-edge.conf.5 n2n-supernode.conf.5 n2n-community.list.5)
    n2nkit_install_man_page("${PROJECT_SOURCE_DIR}/man/${page}" 5)
  endforeach()
  install(FILES "${PROJECT_SOURCE_DIR}/packaging/examples/edge.conf"
                "${PROJECT_SOURCE_DIR}/packaging/examples/supernode.conf"
                "${PROJECT_SOURCE_DIR}/packaging/examples/community.list"
          DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples")
  install(FILES "${PROJECT_SOURCE_DIR}/packaging/deb/copyright"
          DESTINATION "${CMAKE_INSTALL_DOCDIR}")
  configure_file("${PROJECT_SOURCE_DIR}/packaging/deb/changelog.in"
                 "${PROJECT_BINARY_DIR}/packaging/changelog" @ONLY)
  n2nkit_gzip_file("${PROJECT_BINARY_DIR}/packaging/changelog" changelog.gz)
  install(FILES "${PROJECT_BINARY_DIR}/packaging/changelog.gz" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

  get_property(zsh GLOBAL PROPERTY N2NKIT_ZSH_COMPLETIONS)
  set(N2NKIT_UNITS "${PROJECT_SOURCE_DIR}/packaging/systemd/n2n-edge@.service"
                   "${PROJECT_SOURCE_DIR}/packaging/systemd/n2n-supernode.service")
  set(N2NKIT_ETC_FILES "${PROJECT_SOURCE_DIR}/packaging/examples/supernode.conf")
  list(JOIN N2NKIT_UNITS "\" \"" N2NKIT_UNITS)
  list(JOIN zsh "\" \"" N2NKIT_ZSH_COMPLETIONS)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/N2nkitInstallSystemFiles.cmake.in"
                 "${PROJECT_BINARY_DIR}/N2nkitInstallSystemFiles.cmake" @ONLY)
  install(SCRIPT "${PROJECT_BINARY_DIR}/N2nkitInstallSystemFiles.cmake")
endfunction()

function(n2nkit_gzip_file file name)
  get_filename_component(dir "${file}" DIRECTORY)
  add_custom_command(OUTPUT "${dir}/${name}"
    COMMAND sh -c "\"$0\" -9n -c \"$1\" > \"$2\"" "${N2NKIT_GZIP}" "${file}" "${dir}/${name}"
    DEPENDS "${file}"
    VERBATIM)
  add_custom_target("gzip-${name}" ALL DEPENDS "${dir}/${name}")
endfunction()
