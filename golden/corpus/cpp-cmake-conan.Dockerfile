FROM gcc:14 AS build
RUN apt-get update && apt-get install -y cmake python3-pip && pip3 install --break-system-packages conan
WORKDIR /src
COPY conanfile.txt .
RUN conan profile detect && conan install . --build=missing
COPY . .
RUN cmake --preset conan-release && cmake --build --preset conan-release

FROM debian:bookworm-slim
COPY --from=build /src/build/Release/app /usr/local/bin/app
CMD app
