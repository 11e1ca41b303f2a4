# Cross build for big-endian s390x-linux-gnu with Debian's cross toolchain, tests run under
# qemu-s390x.
set(N2NKIT_CROSS_TRIPLET s390x-linux-gnu)
set(CMAKE_SYSTEM_PROCESSOR s390x)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
