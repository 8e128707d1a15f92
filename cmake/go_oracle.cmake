# Go programs that serve as references in tests and benchmarks (never in the product): built
# offline from Debian's golang-go and its packaged Go libraries, in GOPATH mode.
include_guard(GLOBAL)
find_program(KSTACK_GO go REQUIRED)

# kstack_go_program(NAME <name> SOURCE <main.go>): builds ${CMAKE_CURRENT_BINARY_DIR}/<name> at
# build time (into go-bin/, target <name>); its path is in the variable <name>_PATH.
function(kstack_go_program)
  cmake_parse_arguments(ARG "" "NAME;SOURCE" "" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/go-bin/${ARG_NAME})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E env GO111MODULE=off GOPATH=/usr/share/gocode
            GOCACHE=${PROJECT_BINARY_DIR}/go-cache GOFLAGS=
            ${KSTACK_GO} build -o ${out} ${ARG_SOURCE}
    DEPENDS ${ARG_SOURCE}
    COMMENT "Building the Go program ${ARG_NAME}"
    VERBATIM)
  add_custom_target(${ARG_NAME} ALL DEPENDS ${out})
  set(${ARG_NAME}_PATH ${out} PARENT_SCOPE)
endfunction()
