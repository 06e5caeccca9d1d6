FROM \
    debian:bookworm \
    AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
CMD ["bash"]
