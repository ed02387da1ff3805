# web.cmake — compile the web page of `ccn publish` into libccn.
# web/index.html, app.js, style.css and Leaflet's dist/ files (from npm, in
# web/node_modules) become byte arrays in generated/webasset_data.c, listed in
# ccn_webassets[] (src/webasset.h). Rebuilt when any of those files changes.
set(CCN_WEB_DIR ${CMAKE_SOURCE_DIR}/web)
set(CCN_LEAFLET_DIR ${CCN_WEB_DIR}/node_modules/leaflet)
if(NOT EXISTS ${CCN_LEAFLET_DIR}/dist/leaflet.js)
  message(FATAL_ERROR
    "Leaflet is missing: ${CCN_LEAFLET_DIR}/dist/leaflet.js not found.\n"
    "The web page of `ccn publish` embeds it. Install it from the lock file with\n"
    "    (cd web && npm ci)\n"
    "(scripts/setup.sh does this), then run cmake again.")
endif()

# name in OUTDIR -> file; one "name path" a line
set(CCN_WEB_ASSETS
    "index.html ${CCN_WEB_DIR}/index.html"
    "app.js ${CCN_WEB_DIR}/app.js"
    "style.css ${CCN_WEB_DIR}/style.css"
    "leaflet/leaflet.js ${CCN_LEAFLET_DIR}/dist/leaflet.js"
    "leaflet/leaflet.css ${CCN_LEAFLET_DIR}/dist/leaflet.css"
    "leaflet/LICENSE ${CCN_LEAFLET_DIR}/LICENSE")
file(GLOB CCN_LEAFLET_IMAGES CONFIGURE_DEPENDS ${CCN_LEAFLET_DIR}/dist/images/*.png)
foreach(img ${CCN_LEAFLET_IMAGES})
  get_filename_component(img_name ${img} NAME)
  list(APPEND CCN_WEB_ASSETS "leaflet/images/${img_name} ${img}")
endforeach()

set(CCN_WEB_GEN ${CMAKE_BINARY_DIR}/generated)
set(CCN_WEB_MANIFEST ${CCN_WEB_GEN}/webasset_manifest.txt)
set(CCN_WEB_C ${CCN_WEB_GEN}/webasset_data.c)
string(REPLACE ";" "\n" manifest_text "${CCN_WEB_ASSETS}")
file(CONFIGURE OUTPUT ${CCN_WEB_MANIFEST} CONTENT "${manifest_text}\n" @ONLY)

set(asset_files "")
foreach(entry ${CCN_WEB_ASSETS})
  string(FIND "${entry}" " " sp)
  math(EXPR sp "${sp} + 1")
  string(SUBSTRING "${entry}" ${sp} -1 file)
  list(APPEND asset_files ${file})
endforeach()

add_custom_command(
  OUTPUT ${CCN_WEB_C}
  COMMAND ${CMAKE_COMMAND} -DMANIFEST=${CCN_WEB_MANIFEST} -DOUTPUT=${CCN_WEB_C}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${asset_files} ${CCN_WEB_MANIFEST} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding the web page (web/, Leaflet) into libccn"
  VERBATIM)
target_sources(ccn PRIVATE ${CCN_WEB_C})
