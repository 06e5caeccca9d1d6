FROM gcc:14-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cmake
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j
CMD ["/src/build/hello"]
