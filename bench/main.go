// Command bench runs grappe's load benchmark (issue 7): see BENCHMARKS.md.
package main

func main() {}
