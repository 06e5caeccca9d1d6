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

// All is the Suite followed by the Checks: everything `dockopt check` runs.
func All() []*rewrite.Transform {
	return append(append([]*rewrite.Transform(nil), Suite...), Checks...)
}
