# Cross build for big-endian 32-bit MIPS (mips-linux-gnu) with Debian's cross toolchain, tests
# run under qemu-mips. Debian 12 has no mips port: only the pure core builds (N2NKIT_PURE_CORE).
set(N2NKIT_CROSS_TRIPLET mips-linux-gnu)
set(CMAKE_SYSTEM_PROCESSOR mips)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
