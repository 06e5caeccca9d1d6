#!/bin/sh
echo "prepared by prepare.sh" > /prepared.txt
