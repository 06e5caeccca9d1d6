FROM alpine
RUN echo one && \   
    echo two
CMD ["sh"]
