FROM busybox
ENV A=1 B="two words" C=three\ words
ENV LEGACY value with spaces
ENV PATH=/opt/bin:$PATH \
    HOME=/root
ARG X=1 Y
CMD env
