# Cross build for aarch64-linux-gnu with Debian's cross toolchain, tests run under qemu-aarch64.
set(N2NKIT_CROSS_TRIPLET aarch64-linux-gnu)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
