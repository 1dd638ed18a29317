# Debian packages with CPack (make package): one package per install
# component. CPack rather than a debian/ directory: the install rules are
# the single description of what is installed, and `cmake --install` and the
# packages cannot drift apart; dependencies still come from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cse-console)
set(CPACK_PACKAGE_VENDOR "CSE Console")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's Description: its first line is the synopsis; CPack indents
# the rest and turns an empty line into " .". No project-wide summary, so
# that CPack does not put one line above every package's own synopsis.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGE_CONTACT "${CSE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CSE_MAINTAINER}")
set(CPACK_STRIP_FILES ON)
set(CPACK_SET_DESTDIR ON) # /etc/cse-server is an absolute destination
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_COMPONENTS_ALL server sim)
if(CSE_BUILD_GUI)
    list(APPEND CPACK_COMPONENTS_ALL console)
endif()

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME cse-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_SERVER_DESCRIPTION "HA server for CSE 4.x Kubernetes clusters on VMware Cloud Director
cse-server provisions, upgrades, repairs and deletes the Kubernetes clusters
that tenants request through Container Service Extension 4.x entities on
VMware Cloud Director. Several replicas share the work and take over from
each other; all state stays in Cloud Director.

The package ships the program, a hardened systemd unit (DynamicUser, the
API token as a systemd credential) and /etc/cse-server/cse-server.conf.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/packaging/conffiles)

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME cse-console)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CONSOLE_DESCRIPTION "desktop console for CSE 4.x Kubernetes clusters on VMware Cloud Director
CSE Console lists, creates, upgrades and deletes Kubernetes clusters of
Container Service Extension 4.x and shows the server replicas that work on
them. It can start an embedded demo site to be tried without a real
VMware Cloud Director.")
# Qt loads these as plugins, which dpkg-shlibdeps cannot see: the platform
# plugins (xcb, wayland) for the window. Secrets go to a Secret Service.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")

set(CPACK_DEBIAN_SIM_PACKAGE_NAME vcd-sim)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_SIM_DESCRIPTION "emulator of the VMware Cloud Director API subset that CSE uses
vcd-sim emulates the cloudapi and legacy API calls of VMware Cloud Director
that Container Service Extension 4.x and CSE Console use, with persistent
storage, simulated infrastructure and fault injection, for labs and CI.")
# The SQLite driver is a Qt plugin, invisible to dpkg-shlibdeps.
set(CPACK_DEBIAN_SIM_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_SIM_PACKAGE_SUGGESTS "libqt6sql6-psql")

include(CPack)
