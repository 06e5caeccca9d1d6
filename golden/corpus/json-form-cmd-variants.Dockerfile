FROM alpine
CMD [ "sh", "-c", "echo $HOME" ]
ENTRYPOINT ["/bin/sh","-c"]
