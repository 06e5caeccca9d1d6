package transforms

import "github.com/dockopt/dockopt/rewrite"

// Checks are report-only: smells that need a human, listed by `dockopt
// check` and never fixed. Each reports findings without edits.
var Checks = []*rewrite.Transform{
	PinBaseImage,
	NoAptUpgrade,
	NoCurlPipeSh,
	NoUpx,
	ScratchCACertificates,
	NoSudo,
	WorkdirNotCd,
	NoSecretsInEnv,
	NonRootUser,
	DockerignoreMissing,
}

// checkSeverity is the severity each check reports at, for the generated
// codes table; TestCheckSeverities compares it with what the checks report
// on their testdata.
var checkSeverity = map[string]string{
	"pin-base-image":          "warning",
	"no-apt-upgrade":          "warning",
	"no-curl-pipe-sh":         "warning",
	"no-upx":                  "warning",
	"scratch-ca-certificates": "info, warning with an https URL",
	"no-sudo":                 "warning",
	"workdir-not-cd":          "info",
	"no-secrets-in-env":       "error",
	"non-root-user":           "info, warning for USER root",
	"dockerignore-missing":    "warning",
}

// All is everything `dockopt check` runs: the Checks, then the Suite. The
// checks never edit, so running them first changes no fix; it makes them read
// the file as written, not as the fixes left it, so that their line numbers
// point at what the user wrote (after merge-runs, a finding on the third of
// three merged RUNs would point at the first).
func All() []*rewrite.Transform {
	return append(append([]*rewrite.Transform(nil), Checks...), Suite...)
}
