FROM debian:bookworm
RUN (apt-get update && apt-get install -y curl) && for f in a b c; do echo $f; done
