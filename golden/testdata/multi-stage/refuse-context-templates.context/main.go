package main

import "html/template"

func main() { template.Must(template.ParseFiles("templates/index.html")) }
