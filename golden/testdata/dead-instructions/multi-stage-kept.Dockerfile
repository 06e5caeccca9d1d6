FROM alpine:3.20 AS base
CMD ["base"]
FROM base
CMD ["child"]
