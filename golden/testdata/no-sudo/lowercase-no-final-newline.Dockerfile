from debian:12
run if [ -f x ]; then sudo rm x; fi