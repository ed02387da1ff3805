# po.cmake — the CLI's message catalogues (src/cli/i18n.h): po/<lang>.po
# compiled with msgfmt (gettext) into build/share/locale/<lang>/LC_MESSAGES/
# ccn.mo, where build/ccn finds it, and installed into share/locale.
find_program(MSGFMT msgfmt)
if(NOT MSGFMT)
  message(FATAL_ERROR "msgfmt is missing: install Debian's gettext (scripts/setup.sh does)")
endif()
file(GLOB CCN_PO_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/*.po)
set(CCN_MO_FILES)
foreach(po ${CCN_PO_FILES})
  get_filename_component(lang ${po} NAME_WE)
  set(mo ${CMAKE_BINARY_DIR}/share/locale/${lang}/LC_MESSAGES/ccn.mo)
  add_custom_command(OUTPUT ${mo}
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/share/locale/${lang}/LC_MESSAGES
                     COMMAND ${MSGFMT} --check -o ${mo} ${po}
                     DEPENDS ${po} VERBATIM)
  list(APPEND CCN_MO_FILES ${mo})
  install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${lang}/LC_MESSAGES)
endforeach()
add_custom_target(ccn-catalogues ALL DEPENDS ${CCN_MO_FILES})
target_compile_definitions(ccn-cli PRIVATE
                           CCN_LOCALEDIR="${CMAKE_INSTALL_FULL_LOCALEDIR}")
