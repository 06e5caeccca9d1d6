FROM node
RUN echo hi
