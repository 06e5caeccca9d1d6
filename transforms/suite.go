// Package transforms holds dockopt's transforms, one file each, and the
// explicit Suite that orders them.
//
// Each transform is a *rewrite.Transform value: plain data (ID, summary,
// rationale, before/after) and one Run function that reports findings with
// byte-range edits. The engine applies them, re-validates the result with
// BuildKit, and runs the next transform on the re-parsed text.
package transforms

import "github.com/dockopt/dockopt/rewrite"

// Suite is every transform, in pipeline order. Registration order is the
// order they run in; there is no init() registration.
//
// Order matters: structural transforms run before the ones that edit
// inside a RUN, so that (for example) a split `apt-get update` /
// `apt-get install` pair is merged first and then cleaned in one layer.
var Suite = []*rewrite.Transform{
	MultiStage,
	SlimBase,
	ReorderCopy, // before merge-runs: a COPY can pass separate RUNs that merging would make into one barrier
	MergeRuns,
	CopyFromAbsolute,
	NameStages,
	ExecForm,
	AptNoInstallRecommends,
	AptCleanLists,
	ApkNoCache,
	PipNoCacheDir,
	RpmClean,
	GemNoDocument,
	NodeCacheClean,
	AddToCopy,
	MaintainerToLabel,
	LegacyKeyValue,
	DeadInstructions,
	RedundantTargetPlatform,
	NoEmptyContinuation,
	ExposeProtoCasing,
	InstructionCasing,
	FromAsCasing,
	StageNameCasing,
	Dockerignore, // opt-in; last: it reads the Dockerfile as the others leave it
}
