# Shared part of the Debian cross toolchain files: set N2NKIT_CROSS_TRIPLET and
# CMAKE_SYSTEM_PROCESSOR, then include this. Compilers are Debian's g++-<triplet>; target
# libraries are Debian multiarch packages (libfoo-dev:<arch> in /usr/lib/<triplet>) or, for a
# target without a Debian port (big-endian MIPS), only the libc and libstdc++ in /usr/<triplet>.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${N2NKIT_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${N2NKIT_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${N2NKIT_CROSS_TRIPLET})

# "/" so that multiarch libraries (/usr/lib/<triplet>) and arch-independent CMake packages
# (doctest, nlohmann_json) are found; host libraries live in /usr/lib/x86_64-linux-gnu, which
# the library architecture above never searches.
set(CMAKE_FIND_ROOT_PATH /usr/${N2NKIT_CROSS_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must never answer with the host's .pc files.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${N2NKIT_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# ctest (and doctest's test discovery at build time) runs target binaries through qemu-user.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${CMAKE_SYSTEM_PROCESSOR};-L;/usr/${N2NKIT_CROSS_TRIPLET})
