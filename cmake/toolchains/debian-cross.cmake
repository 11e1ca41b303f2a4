# Shared part of the Debian cross toolchain files: set N2NKIT_CROSS_TRIPLET and
# CMAKE_SYSTEM_PROCESSOR, then include this. Compilers are Debian's g++-<triplet>. Target
# libraries come from -DN2NKIT_CROSS_SYSROOT=DIR (the target's Debian packages unpacked there by
# scripts/cross-sysroot.sh) or, without it, there are none beyond the libc and libstdc++ in
# /usr/<triplet>: enough for the pure core (N2NKIT_PURE_CORE), the only choice for big-endian
# MIPS, which Debian 12 has no port of.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${N2NKIT_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${N2NKIT_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${N2NKIT_CROSS_TRIPLET})

# try_compile projects load this file again: hand the sysroot on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES N2NKIT_CROSS_SYSROOT)
if(N2NKIT_CROSS_SYSROOT)
  set(CMAKE_SYSROOT ${N2NKIT_CROSS_SYSROOT})
  set(CMAKE_FIND_ROOT_PATH ${N2NKIT_CROSS_SYSROOT})
  set(n2nkit_target_root ${N2NKIT_CROSS_SYSROOT})
  set(ENV{PKG_CONFIG_SYSROOT_DIR} ${N2NKIT_CROSS_SYSROOT})
else()
  # "/" so that the arch-independent CMake packages (doctest) are found; host libraries live in
  # /usr/lib/x86_64-linux-gnu, which the library architecture above never searches.
  set(CMAKE_FIND_ROOT_PATH /usr/${N2NKIT_CROSS_TRIPLET} /)
  set(n2nkit_target_root /usr/${N2NKIT_CROSS_TRIPLET})
  set(N2NKIT_CROSS_SYSROOT "")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must never answer with the host's .pc files.
set(ENV{PKG_CONFIG_LIBDIR}
    ${N2NKIT_CROSS_SYSROOT}/usr/lib/${N2NKIT_CROSS_TRIPLET}/pkgconfig:${N2NKIT_CROSS_SYSROOT}/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# ctest (and doctest's test discovery at build time) runs target binaries through qemu-user.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${CMAKE_SYSTEM_PROCESSOR};-L;${n2nkit_target_root})
