FROM alpine
ENTRYPOINT ["/bin/echo"]
CMD []
