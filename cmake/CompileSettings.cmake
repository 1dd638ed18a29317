# One interface target carries the project's compile settings; every target
# of ours links it instead of repeating flags.
add_library(cse_compile_settings INTERFACE)
add_library(Cse::CompileSettings ALIAS cse_compile_settings)
target_compile_features(cse_compile_settings INTERFACE cxx_std_17)
target_compile_options(cse_compile_settings INTERFACE -Wall -Wextra -Wpedantic)
target_compile_definitions(cse_compile_settings INTERFACE
    QT_NO_KEYWORDS
    QT_USE_QSTRINGBUILDER
    QT_MESSAGELOGCONTEXT
    CSE_VERSION="${PROJECT_VERSION}")
if(CSE_SANITIZE)
    target_compile_options(cse_compile_settings INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(cse_compile_settings INTERFACE -fsanitize=address,undefined)
endif()
