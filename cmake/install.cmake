# install.cmake — ccn installed like GDAL's and PROJ's tools: the program in
# bin/, the district data in share/ccn/gis (found at run time relative to
# bin/, see src/prefix.h), the manual page and bash completion, and a Debian
# package (`cpack -G DEB`) whose dependencies dpkg-shlibdeps works out.
include(GNUInstallDirs)

# The build tree is laid out like an install for the data, so build/ccn finds
# build/share/ccn/gis without --district.
file(GLOB CCN_GIS_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/gis/*)
set(CCN_BUILD_GIS ${CMAKE_BINARY_DIR}/share/ccn/gis)
set(CCN_BUILD_GIS_STAMPS)
foreach(f ${CCN_GIS_FILES})
  get_filename_component(name ${f} NAME)
  add_custom_command(OUTPUT ${CCN_BUILD_GIS}/${name}
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different ${f} ${CCN_BUILD_GIS}/${name}
                     DEPENDS ${f} VERBATIM)
  list(APPEND CCN_BUILD_GIS_STAMPS ${CCN_BUILD_GIS}/${name})
endforeach()
add_custom_target(ccn-district-data ALL DEPENDS ${CCN_BUILD_GIS_STAMPS})

install(TARGETS ccn-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CCN_GIS_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/ccn/gis)
install(FILES ${CMAKE_SOURCE_DIR}/docs/ccn.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/scripts/ccn.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ccn)
install(FILES ${CMAKE_SOURCE_DIR}/docs/design.md ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME ccn)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Triệu Sơn land office <gis@trieuson.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "GIS of a district's industrial clusters: SpatiaLite workspace, checks, maps, reports")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # ccn_0.1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, not linked: GDAL (dlopen, see src/layerio_gdal.h) and
# the libraries of ccn_dlopen_library (src/dynlib.h), so
# dpkg-shlibdeps cannot see it; SpatiaLite's module for sqlite3 users, and the
# fonts the maps are drawn with.
get_filename_component(CCN_GDAL_DIR ${CCN_GDAL_LIBRARY} DIRECTORY)
execute_process(COMMAND dpkg-query -S ${CCN_GDAL_DIR}/${CCN_GDAL_SONAME}
                OUTPUT_VARIABLE CCN_GDAL_OWNER ERROR_QUIET)
string(REGEX MATCH "^[^:,]+" CCN_GDAL_PACKAGE "${CCN_GDAL_OWNER}")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-noto-core | fonts-dejavu-core")
if(CCN_GDAL_PACKAGE)
  string(PREPEND CPACK_DEBIAN_PACKAGE_DEPENDS "${CCN_GDAL_PACKAGE}, ")
endif()
# The same for PROJ, SpatiaLite, libpq, cairo and pango (ccn_dlopen_library).
get_property(CCN_DLOPEN_PACKAGES GLOBAL PROPERTY CCN_DLOPEN_PACKAGES)
foreach(package ${CCN_DLOPEN_PACKAGES})
  if(NOT package STREQUAL "?")
    string(PREPEND CPACK_DEBIAN_PACKAGE_DEPENDS "${package}, ")
  endif()
endforeach()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libsqlite3-mod-spatialite, gdal-bin, proj-bin")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qgis")
set(CPACK_GENERATOR DEB)
include(CPack)
