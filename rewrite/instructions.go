package rewrite

import (
	"errors"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// silentLinter reports nothing. BuildKit's instructions package dereferences
// a nil linter when a `# check=` comment precedes an instruction, so every
// call into it must pass one.
func silentLinter() *linter.Linter { return linter.New(&linter.Config{SkipAll: true}) }

// ParseInstruction is instructions.ParseInstruction, safe on every input
// BuildKit's parser accepts.
func ParseInstruction(node *parser.Node) (any, error) {
	return instructions.ParseInstructionWithLinter(node, silentLinter())
}

// ParseCommand is instructions.ParseCommand, safe on every input BuildKit's
// parser accepts.
func ParseCommand(node *parser.Node) (instructions.Command, error) {
	v, err := ParseInstruction(node)
	if err != nil {
		return nil, err
	}
	c, ok := v.(instructions.Command)
	if !ok {
		return nil, errNotCommand
	}
	return c, nil
}

var errNotCommand = errors.New("not a command (a FROM starts a stage)")
