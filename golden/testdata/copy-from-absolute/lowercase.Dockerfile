from rust:1.79-bookworm as build
workdir /src
copy . .
run cargo build --release

from debian:bookworm-slim
copy --from=build target/release/hello /usr/local/bin/hello
cmd ["hello"]
