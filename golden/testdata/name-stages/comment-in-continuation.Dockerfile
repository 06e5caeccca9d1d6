FROM rust:1.79-bookworm
WORKDIR /src
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
COPY \
# the binary cargo built
    --from=0 \
    /src/target/release/hello /usr/local/bin/hello
CMD ["hello"]
