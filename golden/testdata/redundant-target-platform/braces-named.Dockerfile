FROM --platform=${TARGETPLATFORM} debian:bookworm AS runtime
RUN true
