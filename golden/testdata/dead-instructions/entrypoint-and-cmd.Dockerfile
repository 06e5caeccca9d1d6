FROM alpine:3.20
ENTRYPOINT ["/bin/echo"]
CMD ["one"]
ENTRYPOINT ["/bin/printf"]
CMD ["two"]
