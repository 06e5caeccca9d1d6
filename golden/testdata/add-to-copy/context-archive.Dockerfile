FROM alpine:3.20
# a tarball without a telling name: ADD unpacks it
ADD rootfs /
# a plain file and a directory
ADD hello.txt /srv/
ADD site /srv/site
