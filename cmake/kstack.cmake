# Helpers that keep every module, test and benchmark declared the same way.
include_guard(GLOBAL)
include(GoogleTest)

set(KSTACK_WARNINGS -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)

# kstack_library(NAME <module> SOURCES ... [DEPS ...])
# A module library kstack_<module> built from src/<module>/; includes are written from src/.
function(kstack_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(kstack_${ARG_NAME} STATIC ${ARG_SOURCES})
  target_include_directories(kstack_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(kstack_${ARG_NAME} PRIVATE ${KSTACK_WARNINGS})
  target_link_libraries(kstack_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# kstack_test(NAME <name> SOURCES ... [DEPS ...] [LABELS ...])
# A GoogleTest binary whose cases are registered with ctest one by one. Tests run from the
# source tree root, so test data paths are written relative to it.
function(kstack_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_compile_options(${ARG_NAME} PRIVATE ${KSTACK_WARNINGS})
  target_compile_definitions(${ARG_NAME} PRIVATE
    KSTACK_SOURCE_DIR="${PROJECT_SOURCE_DIR}" KSTACK_BINARY_DIR="${PROJECT_BINARY_DIR}")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${ARG_NAME}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${labels}")
endfunction()

# kstack_bench(NAME <name> SOURCES ... [DEPS ...])
# A Google Benchmark binary; run it by hand or through scripts/bench, never from ctest.
function(kstack_bench)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_compile_options(${ARG_NAME} PRIVATE ${KSTACK_WARNINGS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()
