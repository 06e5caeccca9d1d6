FROM \
    # which platform
    --platform=$TARGETPLATFORM alpine:3.20 \
    AS base
