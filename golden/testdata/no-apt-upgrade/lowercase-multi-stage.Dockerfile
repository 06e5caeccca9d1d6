from debian:12 as build
run apt-get update && apt-get install -y --only-upgrade openssl
from debian:12
run sudo apt-get -qq upgrade
