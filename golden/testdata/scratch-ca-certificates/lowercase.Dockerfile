from rust:1.80 as build
run cargo build --release
from scratch
copy --from=build /target/release/app /app
entrypoint ["/app", "--url", "https://example.com"]
