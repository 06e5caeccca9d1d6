import lib.mod
