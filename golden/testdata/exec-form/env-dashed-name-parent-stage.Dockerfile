FROM debian:12 AS base
ENV my-setting=1

FROM base
CMD /usr/local/bin/server --port 8080
