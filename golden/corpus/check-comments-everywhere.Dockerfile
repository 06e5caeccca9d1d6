# check=skip=JSONArgsRecommended
# A `# check=` comment right before an instruction is that instruction's lint
# configuration for BuildKit; BuildKit's instructions package crashes on it when
# given no linter. Every transform must survive it.
ARG BASE=python:3.12
# check=skip=all
FROM ${BASE} AS build
# check=skip=LegacyKeyValueFormat
ENV PIP_NO_CACHE_DIR 1
# check=skip=all
WORKDIR /app
# check=skip=all
COPY . .
# check=skip=all
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
# check=skip=all
RUN apt-get update
# check=skip=all
RUN apt-get install -y curl
# check=skip=all
FROM scratch
# check=skip=all
COPY --from=build /app /app
# check=skip=all
CMD /app/run
