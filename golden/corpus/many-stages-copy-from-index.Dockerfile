FROM alpine AS a
RUN echo a > /a
FROM alpine AS b
RUN echo b > /b
FROM alpine
COPY --from=0 /a /a
COPY --from=b /b /b
COPY --from=busybox:latest /bin/busybox /bin/busybox
