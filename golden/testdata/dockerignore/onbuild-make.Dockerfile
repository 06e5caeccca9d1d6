FROM debian:bookworm-slim
COPY . /src
# images built FROM this one run make in /src
ONBUILD RUN make -C /src
