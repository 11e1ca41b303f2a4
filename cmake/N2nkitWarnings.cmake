# Applied to every target of ours through n2nkit_target_defaults().
add_library(n2nkit_options INTERFACE)
target_compile_options(n2nkit_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(N2NKIT_WERROR)
  target_compile_options(n2nkit_options INTERFACE -Werror)
endif()
if(N2NKIT_SANITIZE)
  target_compile_options(n2nkit_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(n2nkit_options INTERFACE -fsanitize=address,undefined)
endif()
if(N2NKIT_FUZZ)
  target_compile_options(n2nkit_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(n2nkit_options INTERFACE -fsanitize=address,undefined)
endif()
