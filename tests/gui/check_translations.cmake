# Fails when a translation is out of date: lupdate runs over the sources
# into a copy of each committed .ts; any string new in the sources
# (unfinished), gone from them (vanished/obsolete), or untranslated German is
# reported. English is the source language: only its plural forms are needed.
# Fix with: cmake --build --preset default --target update_translations,
# then translate what is unfinished.
# -DLUPDATE=<lupdate> -DLISTFILE=<sources list> -DTS_FILES=<a.ts;b.ts> -DWORK=<dir>
file(MAKE_DIRECTORY ${WORK})
set(failed "")
foreach(ts IN LISTS TS_FILES)
    get_filename_component(name ${ts} NAME)
    configure_file(${ts} ${WORK}/${name} COPYONLY)
    execute_process(COMMAND ${LUPDATE} -silent -locations none @${LISTFILE} -ts ${WORK}/${name}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "lupdate failed on ${name}: ${out}${err}")
    endif()
    file(READ ${WORK}/${name} content)
    string(REGEX MATCHALL "<message[^>]*>[^<]*<source>[^<]*</source>[^<]*<translation type=\"(vanished|obsolete)\"" gone "${content}")
    foreach(m IN LISTS gone)
        string(REGEX REPLACE ".*<source>([^<]*)</source>.*" "\\1" s "${m}")
        string(APPEND failed "\n  ${name}: obsolete entry (no longer in the sources): ${s}")
    endforeach()
    if(name MATCHES "_en\\.ts$")
        set(pattern "<message numerus=\"yes\">[^<]*<source>[^<]*</source>[^<]*<translation type=\"unfinished\"")
    else()
        set(pattern "<message[^>]*>[^<]*<source>[^<]*</source>[^<]*<translation type=\"unfinished\"")
    endif()
    string(REGEX MATCHALL "${pattern}" open "${content}")
    foreach(m IN LISTS open)
        string(REGEX REPLACE ".*<source>([^<]*)</source>.*" "\\1" s "${m}")
        string(APPEND failed "\n  ${name}: unfinished (new or untranslated): ${s}")
    endforeach()
endforeach()
if(failed)
    message(FATAL_ERROR "translations are not complete:${failed}\nRun: cmake --build --preset default --target update_translations, then translate.")
endif()
message(STATUS "translations complete: ${TS_FILES}")
