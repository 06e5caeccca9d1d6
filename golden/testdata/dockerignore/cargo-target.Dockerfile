FROM rust:1.79
WORKDIR /src
COPY . .
RUN cargo build --release && cp target/release/app /usr/local/bin/app
CMD ["app"]
