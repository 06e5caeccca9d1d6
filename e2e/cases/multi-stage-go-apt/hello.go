package main

import (
	"fmt"
	"os"
)

func main() {
	wd, _ := os.Getwd()
	fmt.Printf("hello from Go, uid %d, in %s\n", os.Getuid(), wd)
}
