#!/bin/sh
for t in ps pstree killall; do
	if command -v "$t" >/dev/null; then echo "$t: yes"; else echo "$t: no"; fi
done
