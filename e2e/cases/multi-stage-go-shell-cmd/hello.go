package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	name := flag.String("name", "nobody", "who to greet")
	flag.Parse()
	wd, _ := os.Getwd()
	fmt.Printf("hello, %s, from %s\n", *name, wd)
}
