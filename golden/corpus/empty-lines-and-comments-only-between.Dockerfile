

# leading blank lines above


FROM alpine


# spaced out


RUN echo hi


