FROM gcr.io/distroless/static-debian12 AS runtime
COPY app /app
# Not a plain word list, and there is no shell to run it: reported as an error, left alone.
CMD /app --port $PORT
