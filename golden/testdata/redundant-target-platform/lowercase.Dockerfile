from --platform=$TARGETPLATFORM alpine:3.20
run true
