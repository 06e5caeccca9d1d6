FROM scratch
ENV spring.profiles.active=prod
COPY server /server
CMD /server --port 8080
