// Package e2e is dockopt's build-equivalence harness: every case directory
// under cases/ is built with a real Docker engine before and after
// `dockopt fix`, and both images must behave the same (same stdout and exit
// status, same runtime config) while the fixed one is measured for size and
// layers. The test needs the `e2e` build tag and a Docker engine with
// BuildKit; run it with `make e2e`. See README.md.
package e2e
