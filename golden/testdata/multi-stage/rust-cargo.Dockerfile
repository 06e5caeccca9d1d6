FROM rust:1.79-bookworm
WORKDIR /usr/src/hello
COPY . .
RUN cargo build --release --locked \
 && cp target/release/hello /usr/local/bin/
CMD ["hello"]
