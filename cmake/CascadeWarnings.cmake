# Warnings and sanitizers live on an INTERFACE target that each Cascade target links privately,
# never on global flags, so that embedding projects keep their own settings.
add_library(cascade_warnings INTERFACE)
add_library(cascade::warnings ALIAS cascade_warnings)
target_compile_options(cascade_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 reports false -Wrestrict positives inside std::string concatenation (GCC bug 105651).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  # Designated initializers leave fields at their defaults on purpose.
  -Wno-missing-field-initializers)

# CASCADE_SANITIZER names what this build runs under ("address", "thread" or empty), for the tests:
# sanitizer builds run the suites labelled asan and tsan (tests/CMakeLists.txt). UBSan findings stop
# the program (-fno-sanitize-recover), so that a test sees them as failures.
set(CASCADE_SANITIZER "")
if(CASCADE_SANITIZE_THREAD AND (CASCADE_SANITIZE OR CASCADE_BUILD_FUZZERS))
  message(FATAL_ERROR "CASCADE_SANITIZE_THREAD cannot be combined with AddressSanitizer builds")
endif()
if(CASCADE_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CASCADE_BUILD_FUZZERS needs Clang with libFuzzer (Debian: clang-14 libclang-rt-14-dev)")
  endif()
  # Every Cascade object is instrumented for coverage too; the fuzz targets link libFuzzer itself.
  set(CASCADE_SANITIZER address)
  target_compile_options(cascade_warnings INTERFACE -fsanitize=fuzzer-no-link)
elseif(CASCADE_SANITIZE_THREAD)
  set(CASCADE_SANITIZER thread)
elseif(CASCADE_SANITIZE OR CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(CASCADE_SANITIZER address)
endif()
if(CASCADE_SANITIZER STREQUAL "address")
  target_compile_options(cascade_warnings INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=undefined
                                                    -fno-omit-frame-pointer)
  target_link_options(cascade_warnings INTERFACE -fsanitize=address,undefined)
elseif(CASCADE_SANITIZER STREQUAL "thread")
  target_compile_options(cascade_warnings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(cascade_warnings INTERFACE -fsanitize=thread)
endif()
