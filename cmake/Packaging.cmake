# The Debian package: `cpack -G DEB` in the build directory (scripts/package.sh builds and
# tests it). Packaging decisions are explained in packaging/deb/README.
set(N2NKIT_DEB_MAINTAINER "n2nkit maintainers <maintainers@users.noreply.r-seed-8a2ff881.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_PACKAGE_NAME n2nkit)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "n2nkit")
set(CPACK_PACKAGE_CONTACT "${N2NKIT_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "n2n v3 edge, supernode and diagnostic tools")
set(CPACK_GENERATOR DEB)
# Installed as root under /usr with DESTDIR, so the install-time script sees prefix /usr and
# places /etc/n2n and the units where Debian expects them.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${N2NKIT_DEB_MAINTAINER}")
# dpkg-shlibdeps adds the libraries the programs actually link; adduser creates the account the
# supernode unit runs as.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the Description line; this is the long text.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "n2nkit is a toolkit for n2n v3 peer-to-peer overlay networks: n2n-edge and
n2n-supernode, wire-compatible with ntop/n2n 3.1.1, with systemd units, and
tools to diagnose an overlay: path MTU and TCP MSS (n2n-mtu, n2n-mss), routes
through an edge (n2n-route), MAC addresses (n2n-mac), keys for user/password
authentication (n2n-keygen), a packet decoder (n2n-decode) and management
clients (n2n-ctl, n2n-tui).
.
Debian's n2n package is the unrelated protocol version 1; both can be
installed side by side.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/deb/conffiles"
    "${PROJECT_SOURCE_DIR}/packaging/deb/postinst"
    "${PROJECT_SOURCE_DIR}/packaging/deb/prerm"
    "${PROJECT_SOURCE_DIR}/packaging/deb/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
