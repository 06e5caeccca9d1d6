FROM debian:12 AS base
RUN useradd app
USER app
FROM base
CMD ["/app"]
