# A private base image: dockopt cannot know whether it has an ENTRYPOINT, nor
# what that entrypoint does with its arguments.
FROM registry.example.com/mycorp/base:1 AS runtime
COPY app /usr/local/bin/app
CMD app --serve

FROM mycorp/base:1
CMD app --serve
