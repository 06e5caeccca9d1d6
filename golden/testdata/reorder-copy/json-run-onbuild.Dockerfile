FROM debian:12
COPY . /app
RUN ["apt-get", "install", "-y", "curl"]

FROM debian:12
COPY . /app
ONBUILD RUN apt-get install -y curl
